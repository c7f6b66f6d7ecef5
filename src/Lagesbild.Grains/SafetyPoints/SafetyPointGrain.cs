using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.SafetyPoints;

/// <summary>A trygghetspunkt in one picture.</summary>
public interface ISafetyPointGrain : IEntityGrain<SafetyPointCommand>;

public sealed class SafetyPointGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<SafetyPointGrain> logger)
    : EntityGrain<SafetyPointState, SafetyPointCommand>(store, areas, officeHours, clock, logger), ISafetyPointGrain
{
    protected override EntityKind Kind => EntityKind.SafetyPoint;

    protected override Decision<SafetyPointState> Decide(EntityRef self, SafetyPointState? state, SafetyPointCommand command, DecideContext context) =>
        SafetyPointRules.Decide(self, state, command, context);

    protected override string? DistrictOf(SafetyPointState state) => state.District;
}
