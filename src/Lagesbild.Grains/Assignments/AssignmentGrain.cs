using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Assignments;

/// <summary>One uppdrag in a picture: sent, acknowledged, worked on, finished.</summary>
public interface IAssignmentGrain : IEntityGrain<AssignmentCommand>;

public sealed class AssignmentGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<AssignmentGrain> logger)
    : EntityGrain<AssignmentState, AssignmentCommand>(store, areas, officeHours, clock, logger), IAssignmentGrain
{
    protected override EntityKind Kind => EntityKind.Assignment;

    protected override Decision<AssignmentState> Decide(EntityRef self, AssignmentState? state, AssignmentCommand command, DecideContext context) =>
        AssignmentRules.Decide(self, state, command, context);

    protected override string? DistrictOf(AssignmentState state) => state.District;
}
