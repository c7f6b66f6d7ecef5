using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Districts;

/// <summary>How things stand in a district (läget), shown as the area's colour on the map.</summary>
public enum DistrictSituation
{
    Normal,
    /// <summary>Ansträngt.</summary>
    Strained,
    /// <summary>Allvarligt.</summary>
    Serious,
    /// <summary>Kritiskt.</summary>
    Critical,
}

/// <summary>The district's own level for local incidents, below the city's escalation ladder.</summary>
public enum LocalLevel
{
    /// <summary>Normalläge.</summary>
    Normal,
    /// <summary>Lokal händelse.</summary>
    LocalIncident,
    /// <summary>Allvarlig lokal händelse.</summary>
    SeriousLocalIncident,
}

/// <summary>Who to reach for the district's duty function (tjänsteperson i beredskap lokalt).</summary>
public sealed record DutyContact(string Name, string Phone, string Function);

/// <summary>
/// A stadsdelsområde with geographic responsibility (geografiskt områdesansvar). The reason
/// for its local level is kept only when it is not an internal note
/// (<see cref="LocalLevelReasonInternal"/>); an internal one is in the loggbok entry alone.
/// </summary>
public sealed record DistrictState(
    string Name,
    DistrictSituation Situation,
    LocalLevel LocalLevel,
    string? LocalLevelReason,
    DutyContact? DutyContact,
    bool LocalLevelReasonInternal = false);

public abstract record DistrictCommand : Command
{
    public override EntityKind Kind => EntityKind.District;
}

/// <summary>Registers a district from the city's configuration.</summary>
public sealed record RegisterDistrict(string? Name) : DistrictCommand
{
    public override bool Creates => true;
    protected override void Check(Problems problems) => problems.Text("name", Name, 100, required: true);
}

public sealed record SetDistrictSituation(DistrictSituation? Situation) : DistrictCommand
{
    protected override void Check(Problems problems) => problems.Defined("situation", Situation);
}

public sealed record ChangeDistrictLocalLevel(LocalLevel? Level) : DistrictCommand
{
    protected override void Check(Problems problems)
    {
        problems.Defined("level", Level);
        problems.Text("reason", Reason, 2000, required: true);
    }
}

public sealed record SetDistrictDutyContact(string? Name, string? Phone, string? Function) : DistrictCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("name", Name, 200, required: true);
        problems.Text("phone", Phone, 40, required: true);
        if (Phone is not null && !Phone.All(c => char.IsDigit(c) || c is '+' or ' ' or '-' or '(' or ')'))
            problems.Add("phone", "Får bara innehålla siffror, mellanslag och + - ( ).");
        problems.Text("function", Function, 200, required: true);
    }
}

public sealed record DistrictRegistered(string Name) : Change;
public sealed record DistrictSituationSet(DistrictSituation From, DistrictSituation To) : Change;
public sealed record DistrictLocalLevelChanged(LocalLevel From, LocalLevel To) : Change;
public sealed record DistrictDutyContactSet(DutyContact Contact) : Change;

/// <summary>The rules of a district.</summary>
public static class DistrictRules
{
    public static Decision<DistrictState> Decide(EntityRef self, DistrictState? state, DistrictCommand command)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            return command is RegisterDistrict register
                ? Decision<DistrictState>.Accept(
                    new DistrictRegistered(register.Name!),
                    new DistrictState(register.Name!, DistrictSituation.Normal, LocalLevel.Normal, null, null))
                : Refusal.NotFound(self);
        }

        switch (command)
        {
            case RegisterDistrict:
                return Refusal.Conflict($"{self} finns redan.");
            case SetDistrictSituation { Situation: var situation } when situation == state.Situation:
                return Refusal.Conflict($"Läget i {state.Name} är redan {situation}.");
            case SetDistrictSituation { Situation: { } situation }:
                return Decision<DistrictState>.Accept(new DistrictSituationSet(state.Situation, situation), state with { Situation = situation });
            case ChangeDistrictLocalLevel { Level: var level } when level == state.LocalLevel:
                return Refusal.Conflict($"{state.Name} har redan den lokala nivån {level}.");
            case ChangeDistrictLocalLevel { Level: { } level } change:
                return Decision<DistrictState>.Accept(
                    new DistrictLocalLevelChanged(state.LocalLevel, level),
                    state with { LocalLevel = level, LocalLevelReason = change.PublicReason(), LocalLevelReasonInternal = change.Internal });
            case SetDistrictDutyContact contact:
                var duty = new DutyContact(contact.Name!.Trim(), contact.Phone!.Trim(), contact.Function!.Trim());
                if (duty == state.DutyContact)
                    return Refusal.Conflict("Kontakten är redan den angivna; inget ändrades.");
                return Decision<DistrictState>.Accept(new DistrictDutyContactSet(duty), state with { DutyContact = duty });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown district command.");
        }
    }

    public static string Describe(LocalLevel level) => level switch
    {
        LocalLevel.Normal => "normalläge",
        LocalLevel.LocalIncident => "lokal händelse",
        LocalLevel.SeriousLocalIncident => "allvarlig lokal händelse",
        _ => level.ToString(),
    };
}
