using Lagesbild.Domain.City;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.City;
using Lagesbild.Grains.Picture;

namespace Lagesbild.Server.Cluster;

/// <summary>
/// The city in every picture is woken when the node is up: a level step whose beslut was never
/// recorded (its node died between the two appends) gets it then (<c>LadderGrain</c>), once.
/// </summary>
public sealed class CityStepsAtStart(PictureStore store, IGrainFactory grains, TimeProvider clock, ILogger<CityStepsAtStart> logger)
    : WakeWaitingAtStart<CityState>(store, clock, logger)
{
    protected override EntityKind Kind => EntityKind.City;

    protected override string Waiters => "cities that may have a level step without its beslut";

    // Which step lacks its beslut is known only from the loggbok, which the grain reads when it wakes.
    protected override bool Waiting(CityState state, DateTimeOffset now) => true;

    protected override Task WakeAsync(string key) => grains.GetGrain<ICityGrain>(key).Record();
}
