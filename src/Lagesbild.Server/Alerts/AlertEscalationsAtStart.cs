using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Alerts;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Cluster;

namespace Lagesbild.Server.Alerts;

/// <summary>Every alert still waiting for its next wave is woken when the node is up: the wave goes at its deadline (at once if it passed meanwhile), and once (one command id per wave).</summary>
public sealed class AlertEscalationsAtStart(PictureStore store, IGrainFactory grains, TimeProvider clock, ILogger<AlertEscalationsAtStart> logger)
    : WakeWaitingAtStart<AlertState>(store, clock, logger)
{
    protected override EntityKind Kind => EntityKind.Alert;

    protected override string Waiters => "alerts waiting for their next wave";

    protected override bool Waiting(AlertState state, DateTimeOffset now) => AlertRules.AwaitsEscalation(state);

    protected override Task WakeAsync(string key) => grains.GetGrain<IAlertGrain>(key).Record();
}
