using System.Collections.Immutable;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.CrisisBodies;

/// <summary>What kind of krisledningsorgan a body is.</summary>
public enum CrisisBodyKind
{
    /// <summary>Krisledningsnämnden: the political crisis board.</summary>
    Board,
    /// <summary>Central krisledning at stadsledningskontoret.</summary>
    CentralCrisisManagement,
    /// <summary>TiB, tjänsteperson i beredskap.</summary>
    DutyOfficer,
    /// <summary>A district's local crisis management.</summary>
    LocalCrisisManagement,
}

/// <summary>Whether a crisis body is working.</summary>
public enum Activation
{
    /// <summary>Ej aktiverad.</summary>
    Inactive,
    /// <summary>I beredskap: alerted and ready to convene.</summary>
    Standby,
    /// <summary>Aktiverad.</summary>
    Activated,
}

/// <summary>One person on duty in a crisis body.</summary>
public sealed record OnDutyPerson(string Name, string Role, string? Phone);

/// <summary>The next coordination meeting (samverkanskonferens, stabsmöte).</summary>
public sealed record Meeting(DateTimeOffset At, string Place);

/// <summary>A krisledningsorgan: its activation, who is on duty and when it meets next.</summary>
public sealed record CrisisBodyState(
    string Name,
    CrisisBodyKind Kind,
    string? District,
    Activation Activation,
    ImmutableArray<OnDutyPerson> OnDuty,
    Meeting? NextMeeting);

public abstract record CrisisBodyCommand : Command
{
    public override EntityKind Kind => EntityKind.CrisisBody;
}

public sealed record RegisterCrisisBody(string? Name, CrisisBodyKind? BodyKind, string? District) : CrisisBodyCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        problems.Text("name", Name, 200, required: true);
        problems.Defined("bodyKind", BodyKind);
        if (BodyKind == CrisisBodyKind.LocalCrisisManagement)
            problems.Text("district", District, 60, required: true);
    }
}

public sealed record ChangeCrisisBodyActivation(Activation? Activation) : CrisisBodyCommand
{
    protected override void Check(Problems problems) => problems.Defined("activation", Activation);
}

public sealed record SetCrisisBodyOnDuty(ImmutableArray<OnDutyPerson>? People) : CrisisBodyCommand
{
    protected override void Check(Problems problems)
    {
        problems.Required("people", People);
        if (People is not { } people)
            return;
        if (people.Length > 50)
            problems.Add("people", "Högst 50 personer.");
        for (var i = 0; i < Math.Min(people.Length, 50); i++)
        {
            if (people[i] is null)
            {
                problems.Add($"people[{i}]", "Måste anges.");
                continue;
            }
            problems.Text($"people[{i}].name", people[i].Name, 200, required: true);
            problems.Text($"people[{i}].role", people[i].Role, 200, required: true);
            problems.Text($"people[{i}].phone", people[i].Phone, 40);
        }
    }
}

/// <summary>Schedules the body's next meeting; no time clears it.</summary>
public sealed record ScheduleCrisisBodyMeeting(DateTimeOffset? At, string? Place) : CrisisBodyCommand
{
    protected override void Check(Problems problems)
    {
        if (At is not null)
            problems.Text("place", Place, 200, required: true);
    }
}

/// <summary>
/// When a next meeting may be: from an hour ago (a meeting that just started is still "next"
/// while it runs) up to a year ahead. A year 9999 would be no plan at all, only a typo that
/// sorts last and hides the real next meeting.
/// </summary>
public static class MeetingWindow
{
    public static readonly TimeSpan Past = TimeSpan.FromHours(1);

    public static string? Refuses(DateTimeOffset at, DateTimeOffset now) =>
        at < now - Past ? "Nästa möte kan inte ligga i det förflutna (högst en timme sedan)."
        : at > now.AddYears(1) ? "Nästa möte kan ligga högst ett år fram i tiden."
        : null;
}

public sealed record CrisisBodyRegistered(string Name, CrisisBodyKind BodyKind, string? District) : Change;
public sealed record CrisisBodyActivationChanged(Activation From, Activation To) : Change;
public sealed record CrisisBodyOnDutySet(ImmutableArray<OnDutyPerson> People) : Change;
public sealed record CrisisBodyMeetingScheduled(Meeting? Meeting) : Change;

/// <summary>The rules of a crisis body.</summary>
public static class CrisisBodyRules
{
    public static Decision<CrisisBodyState> Decide(EntityRef self, CrisisBodyState? state, CrisisBodyCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            if (command is not RegisterCrisisBody register)
                return Refusal.NotFound(self);
            if (register.District is { } district && !context.Areas.DistrictExists(district))
                return Refusal.Invalid(new Dictionary<string, string[]> { ["district"] = [$"Stadsdelsområdet '{district}' finns inte."] });
            return Decision<CrisisBodyState>.Accept(
                new CrisisBodyRegistered(register.Name!, register.BodyKind!.Value, register.District),
                new CrisisBodyState(register.Name!, register.BodyKind.Value, register.District,
                    register.BodyKind == CrisisBodyKind.DutyOfficer ? Activation.Standby : Activation.Inactive, [], null));
        }

        switch (command)
        {
            case RegisterCrisisBody:
                return Refusal.Conflict($"{self} finns redan.");
            case ChangeCrisisBodyActivation { Activation: var activation } when activation == state.Activation:
                return Refusal.Conflict($"{state.Name} är redan {activation}.");
            case ChangeCrisisBodyActivation { Activation: { } activation }:
                return Decision<CrisisBodyState>.Accept(
                    new CrisisBodyActivationChanged(state.Activation, activation), state with { Activation = activation });
            case SetCrisisBodyOnDuty duty:
                var people = duty.People!.Value.Select(p => new OnDutyPerson(p.Name.Trim(), p.Role.Trim(), p.Phone?.Trim())).ToImmutableArray();
                return Decision<CrisisBodyState>.Accept(new CrisisBodyOnDutySet(people), state with { OnDuty = people });
            case ScheduleCrisisBodyMeeting meeting:
                if (meeting.At is { } at && MeetingWindow.Refuses(at, context.Now) is { } wrong)
                    return Refusal.Invalid(new Dictionary<string, string[]> { ["at"] = [wrong] });
                var next = meeting.At is { } when ? new Meeting(when, meeting.Place!.Trim()) : null;
                if (next is null && state.NextMeeting is null)
                    return Refusal.Conflict("Inget möte är inplanerat att ta bort.");
                return Decision<CrisisBodyState>.Accept(new CrisisBodyMeetingScheduled(next), state with { NextMeeting = next });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown crisis body command.");
        }
    }
}
