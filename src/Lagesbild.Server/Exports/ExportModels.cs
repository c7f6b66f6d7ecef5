using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Resolutions;

namespace Lagesbild.Server.Exports;

/// <summary>One version of one lägesrapport as its loggbok entry holds it; a correction is a version of its own, with why.</summary>
/// <param name="Seq">The loggbok entry: the report's source.</param>
/// <param name="Note">The entry's note (left out for partners when the city marked it internal).</param>
public sealed record ReportVersion(
    string Reporter, string ReporterName, int Number, int Version, DateTimeOffset At, string By, long Seq,
    string? Request, string? Why, ReportContents Contents, string? Note);

/// <summary>The reports of a picture as an export carries them (the JSON export is this, as it is).</summary>
public sealed record ReportsExport(string Picture, string PictureName, bool Exercise, DateTimeOffset MadeAt, long Seq, IReadOnlyList<ReportVersion> Reports);

/// <summary>A beslut in the minutes, with everything its loggbok entry holds.</summary>
/// <param name="RecordedBy">Who entered it in Lagesbild (the loggbok's actor); <see cref="DecidedBy"/> is who decided.</param>
public sealed record MinutesResolution(
    string Id, long Seq, DateTimeOffset At, string Title, string? Text, ResolutionKind Kind, Mandate Mandate, string DecidedBy, string RecordedBy,
    ResolutionBasis Basis, string? Scope, string? District, string? Affected, DateTimeOffset? ValidUntil, string? CommunicatedTo,
    string? Corrects, EscalationStep? Escalation, string? Note);

/// <summary>One step of an uppdrag: when, by whom, to which status, and its note (a report back, a reason it cannot be done).</summary>
public sealed record MinutesStep(DateTimeOffset At, string By, AssignmentStatus Status, long Seq, string? Note);

/// <summary>An uppdrag in the minutes: what, to whom, from whom, by when, and each of its steps.</summary>
public sealed record MinutesAssignment(
    string Id, long Seq, DateTimeOffset SentAt, string Title, string? Instructions, Assignee To, string SentBy, DateTimeOffset Due,
    string? ReportBack, string? District, string? FromResolution, AssignmentStatus Status, IReadOnlyList<MinutesStep> Steps, string? Note);

/// <summary>The beslutslogg and the uppdrag of a time range, as the minutes of a krisledningsmöte carry them.</summary>
/// <param name="Truncated">More beslut or uppdrag fell in the range than the minutes take (<see cref="PictureExports.MinutesLimit"/> of each).</param>
public sealed record MeetingMinutes(DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<MinutesResolution> Resolutions, IReadOnlyList<MinutesAssignment> Assignments, bool Truncated);

/// <summary>The minutes with what every export says about itself: the page's print view renders this.</summary>
public sealed record MinutesExport(string Picture, string PictureName, bool Exercise, DateTimeOffset MadeAt, long Seq, MeetingMinutes Minutes);
