using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Districts;
using Lagesbild.Grains.Picture;

namespace Lagesbild.Server.Cluster;

/// <summary>
/// Every district of every picture is woken when the node is up: a level step whose beslut was never
/// recorded (its node died between the two appends) gets it then (<c>LadderGrain</c>), once.
/// </summary>
public sealed class DistrictStepsAtStart(PictureStore store, IGrainFactory grains, TimeProvider clock, ILogger<DistrictStepsAtStart> logger)
    : WakeWaitingAtStart<DistrictState>(store, clock, logger)
{
    protected override EntityKind Kind => EntityKind.District;

    protected override string Waiters => "districts that may have a level step without its beslut";

    // Which step lacks its beslut is known only from the loggbok, which the grain reads when it wakes.
    protected override bool Waiting(DistrictState state, DateTimeOffset now) => true;

    protected override Task WakeAsync(string key) => grains.GetGrain<IDistrictGrain>(key).Record();
}
