using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Districts;

/// <summary>A stadsdelsområde in one picture.</summary>
public interface IDistrictGrain : IEntityGrain<DistrictCommand>;

public sealed class DistrictGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<DistrictGrain> logger)
    : EntityGrain<DistrictState, DistrictCommand>(store, areas, officeHours, clock, logger), IDistrictGrain
{
    protected override EntityKind Kind => EntityKind.District;

    protected override Decision<DistrictState> Decide(EntityRef self, DistrictState? state, DistrictCommand command, DecideContext context) =>
        DistrictRules.Decide(self, state, command);

    protected override string? DistrictOf(DistrictState state) => this.GetPrimaryKeyString().Split('/')[1];
}
