using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Alerts;

/// <summary>What the TiB made of an alert from outside: taken into the picture, forwarded to a desk's duty, or dismissed.</summary>
public enum TriageOutcome
{
    /// <summary>Intagen i lägesbilden: its area is a warning area on the map.</summary>
    Accepted,
    /// <summary>Vidarebefordrad to a district's or a crisis body's person on duty.</summary>
    Forwarded,
    /// <summary>Avfärdad, with a reason.</summary>
    Dismissed,
}

/// <summary>
/// The TiB's bedömning of an alert from outside, once. <paramref name="Comment"/> is the comment or reason as the state may
/// keep it (null when it was an internal note: that lives in the loggbok entry alone); <paramref name="ForwardedTo"/> the desk.
/// </summary>
public sealed record AlertTriage(TriageOutcome Outcome, string By, DateTimeOffset At, string? Comment = null, string? ForwardedTo = null);

/// <summary>The TiB takes the CAP message's area into the picture (a warning area on the map), with an optional short comment (<see cref="Command.Reason"/>).</summary>
public sealed record AcceptAlert : AlertCommand
{
    public const int CommentLimit = 500;

    protected override void Check(Problems problems) => problems.Text("reason", Reason, CommentLimit);
}

/// <summary>
/// The TiB forwards the alert to a desk's person on duty: a district's beredskap (<paramref name="District"/>, its
/// beredskapsschema) or a crisis body's (<paramref name="CrisisBody"/>, whoever it has on duty). One of the two.
/// </summary>
public sealed record ForwardAlert(string? District = null, string? CrisisBody = null) : AlertCommand
{
    protected override void Check(Problems problems)
    {
        if (string.IsNullOrWhiteSpace(District) == string.IsNullOrWhiteSpace(CrisisBody))
            problems.Add("district", "Ange antingen ett stadsdelsområde (district) eller ett krisledningsorgan (crisisBody).");
        if (District is not null && !EntityRef.IsValidId(District))
            problems.Add("district", "Ogiltigt id.");
        if (CrisisBody is not null && !EntityRef.IsValidId(CrisisBody))
            problems.Add("crisisBody", "Ogiltigt id.");
    }
}

/// <summary>The TiB dismisses the alert; the reason (<see cref="Command.Reason"/>) is required.</summary>
public sealed record DismissAlert : AlertCommand
{
    protected override void Check(Problems problems) => problems.Text("reason", Reason, 2000, required: true);
}

/// <summary>Whom a forward reaches, as the grain found it before the rules decide: the desk, its name, and its person on duty now (null: nobody).</summary>
/// <param name="Desk">The roster (<c>district-…</c>) or crisis body id the recipient row names as its step.</param>
public sealed record ForwardDesk(string Desk, string Name, string? Person, string? Phone);

/// <summary>The loggbok's line: the area taken into the picture (the comment is the entry's reason).</summary>
public sealed record AlertAccepted(string Headline, int Areas) : Change;

/// <summary>The loggbok's line: forwarded to the desk, reaching its person on duty.</summary>
public sealed record AlertForwarded(string Desk, string DeskName, AlertRecipient To) : Change;

/// <summary>The loggbok's line: dismissed (the reason is the entry's reason).</summary>
public sealed record AlertDismissed(string Headline) : Change;

/// <summary>
/// The rules of triage (bedömning): only an alert from outside, once, while its sender has not cancelled it. Triage
/// answers the alert, so it also stops its escalation and counts as the triager's acknowledgement.
/// </summary>
public static class TriageRules
{
    public static Decision<AlertState> Decide(AlertState state, AlertCommand command, DecideContext context, ForwardDesk? desk)
    {
        if (state.Cap is null)
            return Refusal.Conflict("Larmet kom inte utifrån; bara larm från en extern avsändare (CAP) bedöms: tas in, vidarebefordras eller avfärdas.");
        if (state.Triage is { } done)
            return Refusal.Conflict($"Larmet är redan bedömt: {Describe(done)} av {done.By}.");
        if (state.ClearedAt is not null)
            return Refusal.Conflict("Avsändaren har återkallat larmet; det bedöms inte längre.");
        var who = context.Actor?.Name ?? "";
        var comment = command.PublicReason();
        switch (command)
        {
            case AcceptAlert:
                return Decision<AlertState>.Accept(new AlertAccepted(state.Name, state.Cap.Areas.Length),
                    Answered(state, who, context.Now) with { Triage = new AlertTriage(TriageOutcome.Accepted, who, context.Now, comment) });
            case DismissAlert:
                return Decision<AlertState>.Accept(new AlertDismissed(state.Name),
                    Answered(state, who, context.Now) with { Triage = new AlertTriage(TriageOutcome.Dismissed, who, context.Now, comment) });
            case ForwardAlert forward:
            {
                if (desk is null)
                    return Refusal.Invalid(new Dictionary<string, string[]>
                    {
                        [forward.District is not null ? "district" : "crisisBody"] = [$"{forward.District ?? forward.CrisisBody} finns inte i lägesbilden."],
                    });
                if (string.IsNullOrWhiteSpace(desk.Person))
                    return Refusal.Conflict($"Ingen är i tjänst hos {desk.Name} just nu; larmet når ingen där. Ring eller vidarebefordra till någon annan.");
                var to = new AlertRecipient(AssignmentRules.PersonName(desk.Person), string.IsNullOrWhiteSpace(desk.Phone) ? null : desk.Phone.Trim(),
                    desk.Desk, state.Wave, context.Now, RecipientState.NotConfirmed);
                var answered = Answered(state, who, context.Now);
                return Decision<AlertState>.Accept(new AlertForwarded(desk.Desk, desk.Name, to), answered with
                {
                    Recipients = answered.Recipients.Add(to),
                    Triage = new AlertTriage(TriageOutcome.Forwarded, who, context.Now, comment, desk.Desk),
                });
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Not a triage command.");
        }
    }

    /// <summary>Whether the alert's area is part of the picture: accepted, and not cancelled by its sender since.</summary>
    public static bool InPicture(AlertState state) => state is { Triage.Outcome: TriageOutcome.Accepted, ClearedAt: null, Cap: not null };

    /// <summary>The triager has seen it: no next wave, and her own rows count as acknowledged.</summary>
    private static AlertState Answered(AlertState state, string who, DateTimeOffset now) => state with
    {
        EscalatesAt = null,
        AcknowledgedAt = state.AcknowledgedAt ?? now,
        AcknowledgedBy = state.AcknowledgedBy ?? who,
        Recipients = [.. state.Recipients.Select(r => r.State == RecipientState.NotConfirmed && AssignmentRules.SamePerson(who, r.Person)
            ? r with { State = RecipientState.Confirmed, ConfirmedAt = now }
            : r)],
    };

    private static string Describe(AlertTriage triage) => triage.Outcome switch
    {
        TriageOutcome.Accepted => "intaget i lägesbilden",
        TriageOutcome.Forwarded => $"vidarebefordrat till {triage.ForwardedTo}",
        _ => "avfärdat",
    };
}
