using System.Text.Json;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Resolutions;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.City;

/// <summary>The city as a whole in one picture: its place on the escalation ladder.</summary>
public interface ICityGrain : IEntityGrain<CityCommand>;

public sealed class CityGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<CityGrain> logger)
    : LadderGrain<CityState, CityCommand>(store, areas, officeHours, clock, logger), ICityGrain
{
    protected override EntityKind Kind => EntityKind.City;

    protected override Decision<CityState> Decide(EntityRef self, CityState? state, CityCommand command, DecideContext context) =>
        CityRules.Decide(self, state, command, context);

    protected override string? DistrictOf(CityState state) => null;

    protected override RecordEscalationResolution? ResolutionOf(Accepted<CityState> accepted, Actor actor, long seq)
    {
        if (accepted.Change is not CityLevelChanged changed)
            return null;
        var mandate = ResolutionRules.CityStepNeeds(changed.From, changed.To) ?? ResolutionRules.OwnMandate(actor.Role) ?? Mandate.CentralCrisisManagement;
        var title = $"Staden går till {CityRules.Describe(changed.To)} (från {CityRules.Describe(changed.From)})";
        var step = new EscalationStep($"{EntityKind.City}/{CityRules.Id}", changed.From.ToString(), changed.To.ToString(), seq);
        return new RecordEscalationResolution(title, mandate, changed.DecidedBy, step);
    }

    protected override Accepted<CityState>? StepOf(JsonElement entry) => StoredAs<CityLevelChanged>(entry);
}
