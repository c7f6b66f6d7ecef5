using Lagesbild.Domain.City;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.City;

/// <summary>The city as a whole in one picture: its place on the escalation ladder.</summary>
public interface ICityGrain : IEntityGrain<CityCommand>;

public sealed class CityGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<CityGrain> logger)
    : EntityGrain<CityState, CityCommand>(store, areas, officeHours, clock, logger), ICityGrain
{
    protected override EntityKind Kind => EntityKind.City;

    protected override Decision<CityState> Decide(EntityRef self, CityState? state, CityCommand command, DecideContext context) =>
        CityRules.Decide(self, state, command, context);

    protected override string? DistrictOf(CityState state) => null;
}
