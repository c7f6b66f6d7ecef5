using System.Collections.Frozen;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Assignments;

/// <summary>Who an uppdrag is given to.</summary>
public enum AssigneeKind
{
    /// <summary>A stadsdelsområde (its förvaltning).</summary>
    District,
    /// <summary>A beredskapssektor.</summary>
    Sector,
    /// <summary>A krisledningsorgan.</summary>
    CrisisBody,
    /// <summary>A named person (their name as they sign in).</summary>
    Person,
}

/// <summary>The receiver of an uppdrag: a district, a sector, a crisis body (by id) or a named person.</summary>
public sealed record Assignee(AssigneeKind? Kind, string? Id);

/// <summary>Where an uppdrag stands: skickat → mottaget → pågår → klart, or kan inte utföras, or återkallat by the sender.</summary>
public enum AssignmentStatus
{
    /// <summary>Skickat, not yet acknowledged.</summary>
    Sent,
    /// <summary>Mottaget (kvitterat).</summary>
    Received,
    /// <summary>Pågår.</summary>
    InProgress,
    /// <summary>Klart.</summary>
    Done,
    /// <summary>Kan inte utföras (the reason is in the loggbok entry).</summary>
    CannotBeDone,
    /// <summary>Återkallat av avsändaren.</summary>
    Cancelled,
}

/// <summary>
/// An uppdrag between levels: what (its title, <see cref="Name"/>; the full instructions and how to report back are
/// in the loggbok entry that sent it, read when it is opened), to whom, by when, from whom, and
/// where it stands, with the time of each step for follow-up.
/// </summary>
public sealed record AssignmentState(
    string Name,
    Assignee To,
    Actor SentBy,
    DateTimeOffset SentAt,
    DateTimeOffset Due,
    AssignmentStatus Status,
    string? District = null,
    string? FromResolution = null,
    DateTimeOffset? ReceivedAt = null,
    DateTimeOffset? FinishedAt = null);

public abstract record AssignmentCommand : Command
{
    public override EntityKind Kind => EntityKind.Assignment;
}

/// <summary>Gives an uppdrag: what, to whom, by when and how to report back; optionally the beslut it follows from.</summary>
public sealed record SendAssignment(
    string? Title,
    string? Instructions,
    Assignee? To,
    DateTimeOffset? Due,
    string? ReportBack = null,
    string? District = null,
    string? FromResolution = null) : AssignmentCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        problems.Text("title", Title, AssignmentRules.TitleLimit, required: true);
        problems.Text("instructions", Instructions, AssignmentRules.TextLimit);
        problems.Text("reportBack", ReportBack, 1000);
        problems.Required("to", To);
        if (To is not null)
        {
            problems.Defined("to.kind", To.Kind);
            if (To.Kind == AssigneeKind.Person)
                problems.Text("to.id", To.Id, 200, required: true);
            else if (!EntityRef.IsValidId(To.Id))
                problems.Add("to.id", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
        }
        if (Due is null)
            problems.Add("due", "Måste anges: när uppdraget ska vara utfört.");
        if (District is not null && !EntityRef.IsValidId(District))
            problems.Add("district", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
        if (FromResolution is not null && !EntityRef.IsValidId(FromResolution))
            problems.Add("fromResolution", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
    }
}

/// <summary>The receiver acknowledges the uppdrag (kvitterar).</summary>
public sealed record AcknowledgeAssignment : AssignmentCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>The receiver has started on it.</summary>
public sealed record StartAssignment : AssignmentCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>The receiver reports it done; the report back goes in the reason.</summary>
public sealed record CompleteAssignment : AssignmentCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>The receiver reports that it cannot be done, and why (the reason, required).</summary>
public sealed record DeclineAssignment : AssignmentCommand
{
    protected override void Check(Problems problems) => problems.Text("reason", Reason, 2000, required: true);
}

/// <summary>The sender takes the uppdrag back.</summary>
public sealed record CancelAssignment : AssignmentCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>What the loggbok keeps of a sent uppdrag, with the texts the state leaves out.</summary>
public sealed record AssignmentSent(string Title, string? Instructions, Assignee To, DateTimeOffset Due, string? ReportBack, string? District, string? FromResolution) : Change;

public sealed record AssignmentStepped(AssignmentStatus From, AssignmentStatus To) : Change;

/// <summary>The rules of an uppdrag's life. Who may take a step is <see cref="Access"/>'s (the receiver forward, the sender back).</summary>
public static class AssignmentRules
{
    public const int TitleLimit = 120;
    public const int TextLimit = 4000;

    /// <summary>Each step and the states it may be taken from: the one statement of an uppdrag's life.</summary>
    public static readonly FrozenDictionary<Type, (AssignmentStatus To, AssignmentStatus[] From)> Steps = new Dictionary<Type, (AssignmentStatus, AssignmentStatus[])>
    {
        [typeof(AcknowledgeAssignment)] = (AssignmentStatus.Received, [AssignmentStatus.Sent]),
        [typeof(StartAssignment)] = (AssignmentStatus.InProgress, [AssignmentStatus.Received]),
        [typeof(CompleteAssignment)] = (AssignmentStatus.Done, [AssignmentStatus.Received, AssignmentStatus.InProgress]),
        [typeof(DeclineAssignment)] = (AssignmentStatus.CannotBeDone, [AssignmentStatus.Received, AssignmentStatus.InProgress]),
        [typeof(CancelAssignment)] = (AssignmentStatus.Cancelled, [AssignmentStatus.Sent, AssignmentStatus.Received, AssignmentStatus.InProgress]),
    }.ToFrozenDictionary();

    public static Decision<AssignmentState> Decide(EntityRef self, AssignmentState? state, AssignmentCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            if (command is not SendAssignment send)
                return Refusal.NotFound(self);
            if (send.Due <= context.Now)
                return Refusal.Invalid(new Dictionary<string, string[]> { ["due"] = ["Måste ligga i framtiden."] });
            if (send.Due > context.Now.AddYears(1))
                return Refusal.Invalid(new Dictionary<string, string[]> { ["due"] = ["Får ligga högst ett år fram."] });
            var to = new Assignee(send.To!.Kind, send.To.Kind == AssigneeKind.Person ? PersonName(send.To.Id!) : send.To.Id!.Trim());
            var district = send.District ?? DistrictOf(to);
            if (district is not null && !context.Areas.DistrictExists(district))
                return Refusal.Invalid(new Dictionary<string, string[]> { [send.District is null ? "to.id" : "district"] = [$"Stadsdelsområdet {district} finns inte."] });
            var sent = new AssignmentSent(send.Title!.Trim(), Trimmed(send.Instructions), to, send.Due!.Value, Trimmed(send.ReportBack), district, send.FromResolution);
            return Decision<AssignmentState>.Accept(sent, new AssignmentState(
                sent.Title, to, context.Actor ?? Actor.System, context.Now, sent.Due, AssignmentStatus.Sent, district, send.FromResolution));
        }
        if (command is SendAssignment)
            return Refusal.Conflict($"Uppdraget {self.Id} finns redan.");

        var (next, from) = Steps[command.GetType()];
        if (!from.Contains(state.Status))
            return Refusal.Conflict(WhyNot(state.Status, next));
        var stepped = state with
        {
            Status = next,
            ReceivedAt = next == AssignmentStatus.Received ? context.Now : state.ReceivedAt,
            FinishedAt = next is AssignmentStatus.Done or AssignmentStatus.CannotBeDone or AssignmentStatus.Cancelled ? context.Now : null,
        };
        return Decision<AssignmentState>.Accept(new AssignmentStepped(state.Status, next), stepped);
    }

    /// <summary>The district an uppdrag concerns, for the map's mark and the loggbok's district index.</summary>
    public static string? DistrictOf(Assignee to) => to switch
    {
        { Kind: AssigneeKind.District } => to.Id,
        { Kind: AssigneeKind.CrisisBody, Id: { } id } when id.StartsWith("lokal-", StringComparison.Ordinal) => id["lokal-".Length..],
        _ => null,
    };

    /// <summary>
    /// A named person is given by the name the page shows (the loggbok's actor name, as the sign-in gives it), not an
    /// internal id; typed by hand, its spaces and letter case may differ, so both sides are compared as written words.
    /// </summary>
    public static bool SamePerson(string signedInName, string receiverName) =>
        string.Equals(PersonName(signedInName), PersonName(receiverName), StringComparison.OrdinalIgnoreCase);

    /// <summary>A person's name with its words separated by single spaces.</summary>
    public static string PersonName(string name) => string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Whether the uppdrag still waits for its receiver: open and not yet finished.</summary>
    public static bool IsOpen(AssignmentStatus status) => status is AssignmentStatus.Sent or AssignmentStatus.Received or AssignmentStatus.InProgress;

    private static string WhyNot(AssignmentStatus now, AssignmentStatus next) => (now, next) switch
    {
        (AssignmentStatus.Sent, AssignmentStatus.InProgress or AssignmentStatus.Done or AssignmentStatus.CannotBeDone) =>
            "Uppdraget är inte kvitterat än; mottagaren kvitterar det först.",
        (AssignmentStatus.Done or AssignmentStatus.CannotBeDone or AssignmentStatus.Cancelled, _) =>
            $"Uppdraget är redan avslutat ({Describe(now)}); inget mer kan göras med det.",
        _ => $"Uppdraget är {Describe(now)}; det kan inte bli {Describe(next)} nu.",
    };

    public static string Describe(AssignmentStatus status) => status switch
    {
        AssignmentStatus.Sent => "skickat",
        AssignmentStatus.Received => "mottaget",
        AssignmentStatus.InProgress => "pågående",
        AssignmentStatus.Done => "klart",
        AssignmentStatus.CannotBeDone => "inte möjligt att utföra",
        AssignmentStatus.Cancelled => "återkallat",
        _ => status.ToString(),
    };

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
