using System.Text.Json;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Resolutions;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Districts;

/// <summary>A stadsdelsområde in one picture.</summary>
public interface IDistrictGrain : IEntityGrain<DistrictCommand>;

public sealed class DistrictGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<DistrictGrain> logger)
    : LadderGrain<DistrictState, DistrictCommand>(store, areas, officeHours, clock, logger), IDistrictGrain
{
    protected override EntityKind Kind => EntityKind.District;

    protected override Decision<DistrictState> Decide(EntityRef self, DistrictState? state, DistrictCommand command, DecideContext context) =>
        DistrictRules.Decide(self, state, command);

    protected override string? DistrictOf(DistrictState state) => this.GetPrimaryKeyString().Split('/')[1];

    protected override RecordEscalationResolution? ResolutionOf(Accepted<DistrictState> accepted, Actor actor, long seq)
    {
        if (accepted.Change is not DistrictLocalLevelChanged changed)
            return null;
        var district = DistrictOf(accepted.State)!;
        var mandate = ResolutionRules.OwnMandate(actor.Role) ?? Mandate.CentralCrisisManagement;
        var title = $"{accepted.State.Name}: lokal nivå {DistrictRules.Describe(changed.To)} (från {DistrictRules.Describe(changed.From)})";
        var step = new EscalationStep($"{EntityKind.District}/{district}", changed.From.ToString(), changed.To.ToString(), seq);
        return new RecordEscalationResolution(title, mandate, actor.Name, step, district);
    }

    protected override Accepted<DistrictState>? StepOf(JsonElement entry) => StoredAs<DistrictLocalLevelChanged>(entry);
}
