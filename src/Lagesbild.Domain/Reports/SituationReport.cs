using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Reports;

/// <summary>Händelse: what happened, where, when, and the source of the information (MSB, Gemensamma grunder).</summary>
public sealed record ReportEvent(string? What, string? Where, string? When, string? Source);

/// <summary>Konsekvenser: now, in the short and the long term, and who is affected.</summary>
public sealed record ReportConsequences(string? Now, string? ShortTerm, string? LongTerm, string? Affected);

/// <summary>
/// A lägesrapport's parts as MSB's Gemensamma grunder names them. Which parts are mandatory and how
/// long each may be is <see cref="ReportRules.Parts"/>'s alone.
/// </summary>
public sealed record ReportContents(
    ReportEvent? Event,
    ReportConsequences? Consequences,
    string? Actions,
    string? ResourcesAndNeeds,
    string? Actors,
    string? Forecast,
    string? DecisionsOrCoordination);

/// <summary>
/// The lägesrapporter of one reporter (a district, a sector or a crisis body; the entity's id names it,
/// e.g. <c>SituationReport/district-farsta</c>), numbered 1, 2, 3 … A report once sent is never
/// rewritten: a correction is a new version of it that says why. The state keeps what a list and the
/// map need (the latest report's number, version, time and headline); every version's parts are in its
/// loggbok entry, read when the report is opened, so a map's join does not grow with the reports.
/// </summary>
public sealed record SituationReportState(
    string Name,
    Assignee Reporter,
    int Number,
    int Version,
    DateTimeOffset SentAt,
    string SentBy,
    string? District = null,
    string? Request = null,
    DateTimeOffset? CorrectedAt = null,
    string? CorrectionWhy = null);

public abstract record SituationReportCommand : Command
{
    public override EntityKind Kind => EntityKind.SituationReport;
}

/// <summary>Sends a new lägesrapport, on request (<see cref="Request"/>, a begäran's id) or of the reporter's own accord.</summary>
public sealed record SubmitSituationReport(ReportContents? Contents, string? Request = null) : SituationReportCommand
{
    protected override void Check(Problems problems)
    {
        ReportRules.CheckContents(problems, Contents);
        if (Request is not null && !EntityRef.IsValidId(Request))
            problems.Add("request", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
    }
}

/// <summary>Corrects the latest lägesrapport: a new version with all its parts and why it was corrected.</summary>
public sealed record CorrectSituationReport(int? Number, string? Why, ReportContents? Contents) : SituationReportCommand
{
    protected override void Check(Problems problems)
    {
        problems.Range("number", Number, 1, int.MaxValue);
        problems.Text("why", Why, ReportRules.WhyLimit, required: true);
        ReportRules.CheckContents(problems, Contents);
    }
}

/// <summary>What the loggbok keeps of a sent report: all of its parts.</summary>
public sealed record SituationReportSent(int Number, ReportContents Contents, string? Request) : Change;

/// <summary>A new version of a report: all of its parts again, and why.</summary>
public sealed record SituationReportCorrected(int Number, int Version, string Why, ReportContents Contents) : Change;

/// <summary>The rules of lägesrapporter: their parts, who reports, numbering and corrections.</summary>
public static class ReportRules
{
    public const int HeadlineLimit = 120;
    public const int ShortLimit = 300;
    public const int TextLimit = 4000;
    public const int WhyLimit = 1000;

    /// <summary>
    /// One part of a report: its field name on the wire, how to read it, its limit and whether the
    /// report is refused without it. A minimal report (as to the TiB) holds händelse, omfattning,
    /// konsekvens and prognos; the rest may be left out.
    /// </summary>
    public sealed record Part(string Field, Func<ReportContents, string?> Read, int Limit, bool Required);

    /// <summary>The parts of a lägesrapport, mandatory ones and the limits of each: the one statement of them.</summary>
    public static readonly IReadOnlyList<Part> Parts =
    [
        new("event.what", c => c.Event?.What, ShortLimit, true),
        new("event.where", c => c.Event?.Where, ShortLimit, true),
        new("event.when", c => c.Event?.When, ShortLimit, true),
        new("event.source", c => c.Event?.Source, ShortLimit, false),
        new("consequences.now", c => c.Consequences?.Now, TextLimit, true),
        new("consequences.shortTerm", c => c.Consequences?.ShortTerm, TextLimit, false),
        new("consequences.longTerm", c => c.Consequences?.LongTerm, TextLimit, false),
        new("consequences.affected", c => c.Consequences?.Affected, TextLimit, false),
        new("actions", c => c.Actions, TextLimit, true),
        new("resourcesAndNeeds", c => c.ResourcesAndNeeds, TextLimit, false),
        new("actors", c => c.Actors, TextLimit, false),
        new("forecast", c => c.Forecast, TextLimit, true),
        new("decisionsOrCoordination", c => c.DecisionsOrCoordination, TextLimit, false),
    ];

    public static void CheckContents(Problems problems, ReportContents? contents)
    {
        if (contents is null)
        {
            problems.Add("contents", "Måste anges: rapportens delar (händelse, konsekvenser, åtgärder, prognos …).");
            return;
        }
        foreach (var part in Parts)
            problems.Text($"contents.{part.Field}", part.Read(contents), part.Limit, part.Required);
    }

    /// <summary>The reporter a report stream's id names: <c>district-farsta</c>, <c>sector-energi</c>, <c>body-central-krisledning</c>.</summary>
    public static Assignee? ReporterOf(string streamId)
    {
        foreach (var (prefix, kind) in Prefixes)
        {
            if (streamId.StartsWith(prefix, StringComparison.Ordinal) && streamId.Length > prefix.Length)
                return new Assignee(kind, streamId[prefix.Length..]);
        }
        return null;
    }

    /// <summary>The id of a reporter's report stream.</summary>
    public static string StreamOf(Assignee reporter) => Prefixes.First(p => p.Kind == reporter.Kind).Prefix + reporter.Id;

    private static readonly (string Prefix, AssigneeKind Kind)[] Prefixes =
    [
        ("district-", AssigneeKind.District),
        ("sector-", AssigneeKind.Sector),
        ("body-", AssigneeKind.CrisisBody),
    ];

    public static Decision<SituationReportState> Decide(EntityRef self, SituationReportState? state, SituationReportCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (ReporterOf(self.Id) is not { } reporter)
            return Refusal.Invalid(new Dictionary<string, string[]> { ["id"] = ["Rapporter skrivs av ett stadsdelsområde (district-…), en sektor (sector-…) eller ett krisledningsorgan (body-…)."] });
        var district = AssignmentRules.DistrictOf(reporter);
        if (reporter.Kind == AssigneeKind.District && !context.Areas.DistrictExists(reporter.Id!))
            return Refusal.NotFound(self);
        var by = (context.Actor ?? Actor.System).Name;
        switch (command)
        {
            case SubmitSituationReport submit:
                var contents = Trimmed(submit.Contents!);
                var number = (state?.Number ?? 0) + 1;
                return Decision<SituationReportState>.Accept(
                    new SituationReportSent(number, contents, submit.Request),
                    new SituationReportState(Headline(contents), reporter, number, 1, context.Now, by, district, submit.Request));
            case CorrectSituationReport correct:
                if (state is null)
                    return Refusal.NotFound(self);
                if (correct.Number != state.Number)
                {
                    return Refusal.Conflict(correct.Number < state.Number
                        ? $"Rapport {correct.Number} är redan ersatt av rapport {state.Number}; rätta den senaste eller skriv en ny rapport."
                        : $"Rapport {correct.Number} finns inte; den senaste är nummer {state.Number}.");
                }
                var corrected = Trimmed(correct.Contents!);
                var version = state.Version + 1;
                return Decision<SituationReportState>.Accept(
                    new SituationReportCorrected(state.Number, version, correct.Why!.Trim(), corrected),
                    state with { Name = Headline(corrected), Version = version, CorrectedAt = context.Now, CorrectionWhy = correct.Why!.Trim() });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown report command.");
        }
    }

    /// <summary>The headline a list shows: what happened, cut at the headline's length.</summary>
    private static string Headline(ReportContents contents)
    {
        var what = contents.Event!.What!;
        return what.Length <= HeadlineLimit ? what : what[..(HeadlineLimit - 1)] + "…";
    }

    private static ReportContents Trimmed(ReportContents c) => new(
        new ReportEvent(T(c.Event?.What), T(c.Event?.Where), T(c.Event?.When), T(c.Event?.Source)),
        c.Consequences is null ? null : new ReportConsequences(T(c.Consequences.Now), T(c.Consequences.ShortTerm), T(c.Consequences.LongTerm), T(c.Consequences.Affected)),
        T(c.Actions), T(c.ResourcesAndNeeds), T(c.Actors), T(c.Forecast), T(c.DecisionsOrCoordination));

    private static string? T(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
