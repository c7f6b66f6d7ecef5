using System.Collections.Immutable;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Alerts;

/// <summary>How much an alert needs the person on duty; the duty view lists the most severe first.</summary>
public enum AlertSeverity
{
    /// <summary>Information: worth knowing tonight.</summary>
    Info,
    /// <summary>Varning: needs a look soon.</summary>
    Warning,
    /// <summary>Allvarlig: needs action now.</summary>
    Severe,
    /// <summary>Kritisk: a vital function is down.</summary>
    Critical,
}

/// <summary>Where one recipient of an alert stands (larmning i vågor: each recipient ends in one of these).</summary>
public enum RecipientState
{
    /// <summary>Ej kvitterat: told, not (yet) acknowledged.</summary>
    NotConfirmed,
    /// <summary>Kvitterat.</summary>
    Confirmed,
    /// <summary>Nåddes inte: the step named nobody to reach (nobody on duty in the roster).</summary>
    Unreachable,
}

/// <summary>What caused an alert: the rule (or outside sender), the thing it concerns and the loggbok entry that made it so.</summary>
/// <param name="Key">The cause's identity (<c>rule:Kind/id</c>): one open alert per key.</param>
/// <param name="Entity">The thing it concerns, <c>Kind/id</c>, to open on the map.</param>
/// <param name="Seq">The loggbok entry the cause was read from (the thing's last change).</param>
public sealed record AlertCauseRef(string Key, string Rule, string Entity, long Seq);

/// <summary>One person an alert went to, in which wave, from which step of the escalation chain (a roster id, or <c>person</c>).</summary>
/// <param name="Channels">How each outbox channel's delivery to her ended (e-mail, webhook, web push); none while it is under way.</param>
public sealed record AlertRecipient(string Person, string? Phone, string Step, int Wave, DateTimeOffset NotifiedAt, RecipientState State, DateTimeOffset? ConfirmedAt = null,
    ImmutableArray<AlertChannelOutcome>? Channels = null);

/// <summary>Whom a wave reaches, as the escalation chain's step resolved it: a person, or nobody (<see cref="Person"/> null).</summary>
public sealed record AlertTarget(string? Person, string? Phone, string? Step);

/// <summary>
/// A larm: something in the picture needs the person on duty now. Raised by a rule over the picture (its
/// <see cref="Source"/>), sent to the duty's escalation chain wave by wave until someone acknowledges it, and
/// closed when its cause clears. The detail text is in the loggbok entry that raised it.
/// </summary>
/// <param name="Name">The title, as the duty view lists it.</param>
/// <param name="Duty">The duty whose escalation chain it follows (<c>tib</c>, <c>district-…</c>).</param>
/// <param name="EscalatesAt">When the next wave is due if nobody acknowledges; null when acknowledged, cleared or the chain is used up.</param>
public sealed record AlertState(
    string Name,
    AlertSeverity Severity,
    AlertCauseRef Cause,
    string Source,
    string Duty,
    DateTimeOffset RaisedAt,
    ImmutableArray<AlertRecipient> Recipients,
    int Wave,
    DateTimeOffset? EscalatesAt,
    string? District = null,
    DateTimeOffset? AcknowledgedAt = null,
    string? AcknowledgedBy = null,
    DateTimeOffset? ClearedAt = null,
    CapOrigin? Cap = null,
    AlertTriage? Triage = null);

public abstract record AlertCommand : Command
{
    public override EntityKind Kind => EntityKind.Alert;
}

/// <summary>Lagesbild raises an alert for a cause and sends its first wave.</summary>
/// <param name="EscalateAfterSeconds">How long the wave has to acknowledge before the next; null when the chain has no next step.</param>
public sealed record RaiseAlert(
    string? Title, string? Detail, AlertSeverity? Severity, AlertCauseRef? Cause, string? Source, string? Duty,
    AlertTarget? To, int? EscalateAfterSeconds, string? District = null, CapOrigin? Cap = null) : AlertCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        problems.Text("title", Title, AlertRules.TitleLimit, required: true);
        problems.Text("detail", Detail, AlertRules.DetailLimit);
        problems.Defined("severity", Severity);
        problems.Required("cause", Cause);
        problems.Text("source", Source, 200, required: true);
        problems.Text("duty", Duty, 60, required: true);
        problems.Required("to", To);
        problems.Range("escalateAfterSeconds", EscalateAfterSeconds, 0, AlertRules.LongestWaitSeconds, required: false);
    }
}

/// <summary>Nobody acknowledged in time: Lagesbild sends the next wave (<paramref name="Wave"/>) to the chain's next step.</summary>
public sealed record EscalateAlert(int? Wave, AlertTarget? To, int? EscalateAfterSeconds) : AlertCommand
{
    protected override void Check(Problems problems)
    {
        problems.Range("wave", Wave, 2, AlertRules.WaveLimit);
        problems.Required("to", To);
        problems.Range("escalateAfterSeconds", EscalateAfterSeconds, 0, AlertRules.LongestWaitSeconds, required: false);
    }
}

/// <summary>The recipient acknowledges her alert (one tap): escalation stops.</summary>
public sealed record AcknowledgeAlert : AlertCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>Lagesbild records that the alert's cause has cleared.</summary>
public sealed record ClearAlert : AlertCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>What the loggbok keeps of a raised alert, with its detail text.</summary>
public sealed record AlertRaised(string Title, string? Detail, AlertSeverity Severity, AlertCauseRef Cause, AlertRecipient To) : Change;

/// <summary>An escalation: the wave before was not acknowledged in time.</summary>
public sealed record AlertEscalated(int Wave, AlertRecipient To, ImmutableArray<string> NotConfirmed) : Change;

public sealed record AlertAcknowledged(string By, int Wave) : Change;

/// <summary>The cause is gone (the sector is back, the point refuelled, the report came).</summary>
public sealed record AlertCleared(string Cause, bool WasAcknowledged) : Change;

/// <summary>The rules of an alert's life: raised, escalated in waves, acknowledged by its recipient, cleared with its cause.</summary>
public static class AlertRules
{
    public const int TitleLimit = 200;
    public const int DetailLimit = 2000;
    public const int WaveLimit = 20;
    public const int LongestWaitSeconds = 24 * 3600;

    /// <param name="desk">For a forward: the desk and its person on duty as the grain found them (null: no such desk).</param>
    public static Decision<AlertState> Decide(EntityRef self, AlertState? state, AlertCommand command, DecideContext context, ForwardDesk? desk = null)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            if (command is not RaiseAlert raise)
                return Refusal.NotFound(self);
            var first = Recipient(raise.To!, 1, context.Now);
            var next = NextWaveIn(first, raise.EscalateAfterSeconds);
            return Decision<AlertState>.Accept(
                new AlertRaised(raise.Title!.Trim(), Trimmed(raise.Detail), raise.Severity!.Value, raise.Cause!, first),
                new AlertState(raise.Title.Trim(), raise.Severity.Value, raise.Cause!, raise.Source!.Trim(), raise.Duty!.Trim(), context.Now,
                    [first], 1, next is { } wait ? context.Now.AddSeconds(wait) : null, raise.District, Cap: raise.Cap));
        }
        switch (command)
        {
            case RaiseAlert:
                return Refusal.Conflict($"Larmet {self.Id} finns redan.");
            case AcknowledgeAlert:
            {
                // Only a recipient gets here (Access.Check); her own rows turn Confirmed. One reached after the alert was
                // acknowledged (a forward) still confirms her own.
                var who = context.Actor?.Name ?? "";
                if (state.AcknowledgedAt is not null && !state.Recipients.Any(r => r.State == RecipientState.NotConfirmed && AssignmentRules.SamePerson(who, r.Person)))
                    return Refusal.Conflict($"Larmet är redan kvitterat av {state.AcknowledgedBy}.");
                return Decision<AlertState>.Accept(new AlertAcknowledged(who, state.Wave), state with
                {
                    AcknowledgedAt = state.AcknowledgedAt ?? context.Now,
                    AcknowledgedBy = state.AcknowledgedBy ?? who,
                    EscalatesAt = null,
                    Recipients = [.. state.Recipients.Select(r => r.State == RecipientState.NotConfirmed && AssignmentRules.SamePerson(who, r.Person)
                        ? r with { State = RecipientState.Confirmed, ConfirmedAt = context.Now }
                        : r)],
                });
            }
            case EscalateAlert escalate:
            {
                if (state.AcknowledgedAt is not null)
                    return Refusal.Conflict($"Larmet är kvitterat av {state.AcknowledgedBy}; det eskaleras inte.");
                if (state.ClearedAt is not null)
                    return Refusal.Conflict("Orsaken till larmet har upphört; det eskaleras inte.");
                if (escalate.Wave != state.Wave + 1)
                    return Refusal.Conflict($"Larmet är i våg {state.Wave}; nästa våg är {state.Wave + 1}, inte {escalate.Wave}.");
                if (!EscalationDue(state, context.Now))
                    return Refusal.Conflict("Tiden att kvittera har inte gått ut än.");
                var to = Recipient(escalate.To!, escalate.Wave!.Value, context.Now);
                var next = NextWaveIn(to, escalate.EscalateAfterSeconds);
                return Decision<AlertState>.Accept(
                    new AlertEscalated(escalate.Wave.Value, to, [.. state.Recipients.Where(r => r.State == RecipientState.NotConfirmed).Select(r => r.Person)]),
                    state with
                    {
                        Wave = escalate.Wave.Value,
                        Recipients = state.Recipients.Add(to),
                        EscalatesAt = next is { } wait ? context.Now.AddSeconds(wait) : null,
                    });
            }
            case RecordAlertDelivery record:
                return AlertDeliveryRules.Decide(state, record, context);
            case UpdateAlertFromCap update:
                return CapAlerts.Update(state, update);
            case AcceptAlert or ForwardAlert or DismissAlert:
                return TriageRules.Decide(state, command, context, desk);
            case ClearAlert:
                if (state.ClearedAt is not null)
                    return Refusal.Conflict("Larmets orsak är redan upphörd.");
                return Decision<AlertState>.Accept(new AlertCleared(state.Cause.Key, state.AcknowledgedAt is not null),
                    state with { ClearedAt = context.Now, EscalatesAt = null });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown alert command.");
        }
    }

    /// <summary>Whether the next wave is due: nobody acknowledged and the wave's time is up.</summary>
    public static bool EscalationDue(AlertState state, DateTimeOffset now) =>
        state is { AcknowledgedAt: null, ClearedAt: null, EscalatesAt: { } at } && now >= at;

    /// <summary>Whether the alert still waits for a wave: neither acknowledged nor cleared, and a next step in its chain.</summary>
    public static bool AwaitsEscalation(AlertState state) => state is { AcknowledgedAt: null, ClearedAt: null, EscalatesAt: not null };

    /// <summary>An alert is open until its cause clears; while it is open the same cause raises no other.</summary>
    public static bool IsOpen(AlertState state) => state.ClearedAt is null;

    /// <summary>Whether the person (by the name she signs in with) is one of the alert's recipients.</summary>
    public static bool IsRecipient(AlertState state, string person) =>
        state.Recipients.Any(r => r.State != RecipientState.Unreachable && AssignmentRules.SamePerson(person, r.Person));

    /// <summary>Why someone else may not acknowledge it, in her words.</summary>
    public static string NotYours(AlertState state)
    {
        var to = state.Recipients.Where(r => r.State != RecipientState.Unreachable).Select(r => r.Person).ToArray();
        return to.Length == 0
            ? "Larmet har inte nått någon ännu; bara den som larmet gått till kvitterar det."
            : $"Larmet gick till {string.Join(", ", to)}; bara den som larmet gått till kvitterar sitt larm.";
    }

    /// <summary>A wave that reached nobody hands on at once; the last step of the chain has no next wave.</summary>
    private static int? NextWaveIn(AlertRecipient to, int? escalateAfterSeconds) =>
        escalateAfterSeconds is null ? null : to.State == RecipientState.Unreachable ? 0 : escalateAfterSeconds;

    private static AlertRecipient Recipient(AlertTarget target, int wave, DateTimeOffset now) =>
        string.IsNullOrWhiteSpace(target.Person)
            ? new AlertRecipient(target.Step ?? "", null, target.Step ?? "", wave, now, RecipientState.Unreachable)
            : new AlertRecipient(AssignmentRules.PersonName(target.Person), Trimmed(target.Phone), target.Step ?? "person", wave, now, RecipientState.NotConfirmed);

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
