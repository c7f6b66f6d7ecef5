using System.Collections.Immutable;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Resolutions;

/// <summary>On whose authority a beslut is taken (mandat).</summary>
public enum Mandate
{
    /// <summary>Krisledningsnämndens ordförande (or the deputy the city names).</summary>
    BoardChair,
    /// <summary>Central krisledning.</summary>
    CentralCrisisManagement,
    /// <summary>Tjänsteperson i beredskap (TiB).</summary>
    DutyOfficer,
    /// <summary>A stadsdelsdirektör, for their own district.</summary>
    DistrictDirector,
    /// <summary>Regeringen: skärpt or högsta beredskap, entered by central krisledning.</summary>
    Government,
}

/// <summary>Whether a beslut stands on its own or corrects or revokes an earlier one.</summary>
public enum ResolutionKind
{
    /// <summary>Beslut.</summary>
    Decision,
    /// <summary>Rättelse: replaces an earlier beslut's content; both stay readable.</summary>
    Correction,
    /// <summary>Upphävande: an earlier beslut no longer holds.</summary>
    Revocation,
}

/// <summary>
/// What a beslut rests on: loggbok entries, reports, and the picture's sequence number it was
/// taken on, so anyone can see exactly what the decision-maker saw.
/// </summary>
public sealed record ResolutionBasis(long? PictureSeq, ImmutableArray<long>? Entries = null, ImmutableArray<string>? Reports = null);

/// <summary>A step on the escalation ladder that a beslut records: the city's level or a district's local level.</summary>
/// <param name="Entity">The city (<c>City/stockholm</c>) or the district (<c>District/farsta</c>).</param>
/// <param name="ChangeSeq">The loggbok entry that made the step.</param>
public sealed record EscalationStep(string Entity, string From, string To, long ChangeSeq);

/// <summary>
/// One beslut in the beslutslogg. Never changed after it is recorded; a correction or a
/// revocation is a new beslut that names this one in <see cref="Corrects"/>. The state keeps
/// what a list shows (its <see cref="Name"/> is the beslut's title); the beslut's text, scope, affected, who was told and its basis in full are
/// in its one loggbok entry (<c>ResolutionRecorded</c>), read when it is opened.
/// </summary>
public sealed record ResolutionState(
    string Name,
    ResolutionKind ResolutionKind,
    Mandate Mandate,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    long PictureSeq,
    string? District = null,
    DateTimeOffset? ValidUntil = null,
    string? Corrects = null,
    EscalationStep? Escalation = null);

public abstract record ResolutionCommand : Command
{
    public override EntityKind Kind => EntityKind.Resolution;
    public override bool Creates => true;
}

/// <summary>Records a beslut that a person took (the beslutslogg's own entries).</summary>
public sealed record RecordResolution(
    string? Title,
    string? Text,
    Mandate? Mandate,
    string? DecidedBy,
    ResolutionBasis? Basis,
    string? Scope = null,
    string? District = null,
    string? Affected = null,
    DateTimeOffset? ValidUntil = null,
    string? CommunicatedTo = null,
    ResolutionKind? ResolutionKind = null,
    string? Corrects = null) : ResolutionCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("title", Title, ResolutionRules.TitleLimit, required: true);
        problems.Text("text", Text, ResolutionRules.TextLimit, required: true);
        problems.Defined("mandate", Mandate);
        problems.Text("decidedBy", DecidedBy, 200, required: true);
        problems.Text("scope", Scope, 1000);
        problems.Text("affected", Affected, 1000);
        problems.Text("communicatedTo", CommunicatedTo, 1000);
        problems.Defined("resolutionKind", ResolutionKind, required: false);
        if (District is not null && !EntityRef.IsValidId(District))
            problems.Add("district", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
        if (Basis?.PictureSeq is not > 0)
            problems.Add("basis.pictureSeq", "Måste anges: numret på lägesbilden beslutet fattades på (ett beslut utan underlag tas inte emot).");
        if (Basis?.Entries is { } entries)
        {
            if (entries.Length > 100)
                problems.Add("basis.entries", $"Högst 100 loggboksposter (är {entries.Length}).");
            if (entries.Any(seq => seq <= 0 || seq > Basis.PictureSeq))
                problems.Add("basis.entries", "Underlaget kan bara vara poster i loggboken fram till och med lägesbildens nummer.");
        }
        if (Basis?.Reports is { } reports)
        {
            if (reports.Length > 50)
                problems.Add("basis.reports", $"Högst 50 rapporter (är {reports.Length}).");
            foreach (var report in reports)
                problems.Text("basis.reports", report, 200, required: true);
        }
        var kind = ResolutionKind ?? Resolutions.ResolutionKind.Decision;
        if (kind != Resolutions.ResolutionKind.Decision && !EntityRef.IsValidId(Corrects))
            problems.Add("corrects", "En rättelse eller ett upphävande måste ange beslutet det gäller.");
        if (kind == Resolutions.ResolutionKind.Decision && Corrects is not null)
            problems.Add("corrects", "Bara en rättelse eller ett upphävande pekar på ett tidigare beslut.");
    }
}

/// <summary>The beslut behind a step on the escalation ladder, recorded by Lagesbild from the step itself.</summary>
public sealed record RecordEscalationResolution(string? Title, Mandate? Mandate, string? DecidedBy, EscalationStep? Step, string? District = null) : ResolutionCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("title", Title, ResolutionRules.TitleLimit, required: true);
        problems.Defined("mandate", Mandate);
        problems.Text("decidedBy", DecidedBy, 200, required: true);
        problems.Required("step", Step);
    }
}

/// <summary>What the loggbok keeps of a beslut: everything, including the long texts the state leaves out.</summary>
public sealed record ResolutionRecorded(
    string Title,
    string? Text,
    ResolutionKind ResolutionKind,
    Mandate Mandate,
    string DecidedBy,
    ResolutionBasis Basis,
    string? Scope,
    string? District,
    string? Affected,
    DateTimeOffset? ValidUntil,
    string? CommunicatedTo,
    string? Corrects,
    EscalationStep? Escalation) : Change;

/// <summary>The rules of the beslutslogg.</summary>
public static class ResolutionRules
{
    public const int TitleLimit = 120;
    public const int TextLimit = 4000;

    public static Decision<ResolutionState> Decide(EntityRef self, ResolutionState? state, ResolutionCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is not null)
            return Refusal.Conflict($"Beslutet {self.Id} finns redan och skrivs aldrig om; en rättelse är ett nytt beslut som pekar på det.");
        switch (command)
        {
            case RecordResolution record:
                if (record.ValidUntil is { } until && until <= context.Now)
                    return Refusal.Invalid(new Dictionary<string, string[]> { ["validUntil"] = ["Måste ligga efter beslutets tid."] });
                if (record.Corrects == self.Id)
                    return Refusal.Invalid(new Dictionary<string, string[]> { ["corrects"] = ["Ett beslut kan inte rätta sig självt."] });
                var kind = record.ResolutionKind ?? ResolutionKind.Decision;
                var basis = record.Basis! with { Reports = record.Basis.Reports?.Select(r => r.Trim()).ToImmutableArray() };
                var recorded = new ResolutionRecorded(
                    record.Title!.Trim(), record.Text!.Trim(), kind, record.Mandate!.Value, record.DecidedBy!.Trim(), basis,
                    Trimmed(record.Scope), record.District, Trimmed(record.Affected), record.ValidUntil, Trimmed(record.CommunicatedTo), record.Corrects, null);
                return Decision<ResolutionState>.Accept(recorded, StateOf(recorded, context.Now));
            case RecordEscalationResolution escalation:
                var step = escalation.Step!;
                var stepRecorded = new ResolutionRecorded(
                    escalation.Title!.Trim(), null, ResolutionKind.Decision, escalation.Mandate!.Value, escalation.DecidedBy!.Trim(),
                    new ResolutionBasis(step.ChangeSeq - 1, [step.ChangeSeq]), null, escalation.District, null, null, null, null, step);
                return Decision<ResolutionState>.Accept(stepRecorded, StateOf(stepRecorded, context.Now));
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown resolution command.");
        }
    }

    private static ResolutionState StateOf(ResolutionRecorded recorded, DateTimeOffset now) => new(
        recorded.Title, recorded.ResolutionKind, recorded.Mandate, recorded.DecidedBy, now, recorded.Basis.PictureSeq!.Value,
        recorded.District, recorded.ValidUntil, recorded.Corrects, recorded.Escalation);

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// The mandate a step on the city's escalation ladder needs (2024 programme): extraordinär
    /// händelse, into it and out of it downwards, is krisledningsnämndens ordförande's; skärpt and
    /// högsta beredskap are the government's, entered by central krisledning; between normalläge
    /// and samhällsstörning central krisledning or the TiB decides on their own mandate (null).
    /// </summary>
    public static Mandate? CityStepNeeds(EscalationLevel from, EscalationLevel to) =>
        to == EscalationLevel.ExtraordinaryEvent || from == EscalationLevel.ExtraordinaryEvent && to < from ? Mandate.BoardChair
        : to >= EscalationLevel.HeightenedAlert || from >= EscalationLevel.HeightenedAlert ? Mandate.Government
        : null;

    /// <summary>The mandate a role decides on by itself, or null for roles that decide nothing.</summary>
    public static Mandate? OwnMandate(string role) => role switch
    {
        Roles.Chair => Mandate.BoardChair,
        Roles.Central => Mandate.CentralCrisisManagement,
        Roles.DutyOfficer => Mandate.DutyOfficer,
        Roles.District => Mandate.DistrictDirector,
        _ => null,
    };

    public static string Describe(Mandate mandate) => mandate switch
    {
        Mandate.BoardChair => "krisledningsnämndens ordförande",
        Mandate.CentralCrisisManagement => "central krisledning",
        Mandate.DutyOfficer => "TiB",
        Mandate.DistrictDirector => "stadsdelsdirektören",
        Mandate.Government => "regeringen",
        _ => mandate.ToString(),
    };
}
