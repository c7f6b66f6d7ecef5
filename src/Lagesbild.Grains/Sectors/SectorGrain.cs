using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Sectors;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Sectors;

/// <summary>A beredskapssektor in one picture.</summary>
public interface ISectorGrain : IEntityGrain<SectorCommand>;

public sealed class SectorGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<SectorGrain> logger)
    : EntityGrain<SectorState, SectorCommand>(store, areas, officeHours, clock, logger), ISectorGrain
{
    protected override EntityKind Kind => EntityKind.Sector;

    protected override Decision<SectorState> Decide(EntityRef self, SectorState? state, SectorCommand command, DecideContext context) =>
        SectorRules.Decide(self, state, command, context);

    // A sector spans the city; its reports are found through the entity index, not a district's.
    protected override string? DistrictOf(SectorState state) => null;
}
