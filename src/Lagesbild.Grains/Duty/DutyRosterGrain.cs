using Lagesbild.Domain.Duty;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Duty;

/// <summary>One beredskapsschema in a picture: its shifts and their hand-overs.</summary>
public interface IDutyRosterGrain : IEntityGrain<DutyRosterCommand>;

public sealed class DutyRosterGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<DutyRosterGrain> logger)
    : EntityGrain<DutyRosterState, DutyRosterCommand>(store, areas, officeHours, clock, logger), IDutyRosterGrain
{
    protected override EntityKind Kind => EntityKind.DutyRoster;

    protected override Decision<DutyRosterState> Decide(EntityRef self, DutyRosterState? state, DutyRosterCommand command, DecideContext context) =>
        DutyRosterRules.Decide(self, state, command, context);

    protected override string? DistrictOf(DutyRosterState state) => state.District;
}
