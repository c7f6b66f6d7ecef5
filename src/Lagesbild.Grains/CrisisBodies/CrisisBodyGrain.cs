using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.CrisisBodies;

/// <summary>A krisledningsorgan in one picture.</summary>
public interface ICrisisBodyGrain : IEntityGrain<CrisisBodyCommand>;

public sealed class CrisisBodyGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<CrisisBodyGrain> logger)
    : EntityGrain<CrisisBodyState, CrisisBodyCommand>(store, areas, officeHours, clock, logger), ICrisisBodyGrain
{
    protected override EntityKind Kind => EntityKind.CrisisBody;

    protected override Decision<CrisisBodyState> Decide(EntityRef self, CrisisBodyState? state, CrisisBodyCommand command, DecideContext context) =>
        CrisisBodyRules.Decide(self, state, command, context);

    protected override string? DistrictOf(CrisisBodyState state) => state.District;
}
