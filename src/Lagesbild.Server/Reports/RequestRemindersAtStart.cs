using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Lagesbild.Server.Cluster;

namespace Lagesbild.Server.Reports;

/// <summary>Every begäran still waiting for its reminder is woken when the node is up, so a restart neither loses the reminder nor sends it twice.</summary>
public sealed class RequestRemindersAtStart(PictureStore store, IGrainFactory grains, TimeProvider clock, ILogger<RequestRemindersAtStart> logger)
    : WakeWaitingAtStart<ReportRequestState>(store, clock, logger)
{
    protected override EntityKind Kind => EntityKind.ReportRequest;

    protected override string Waiters => "begäran waiting for their reminder";

    protected override bool Waiting(ReportRequestState state, DateTimeOffset now) => ReportRequestRules.AwaitsReminder(state, now);

    protected override Task WakeAsync(string key) => grains.GetGrain<IReportRequestGrain>(key).Record();
}
