using System.Collections.Frozen;
using Lagesbild.Domain.City;

namespace Lagesbild.Domain.Reports;

/// <summary>
/// Operativ rytm: how often each reporter sends a lägesrapport at each level of the escalation
/// ladder (no cadence means reports are written when needed), and how long before a begäran's
/// deadline its reminder goes out. The city's configuration; no national cadence exists.
/// </summary>
public sealed record ReportingRhythm(FrozenDictionary<EscalationLevel, TimeSpan> Cadence, TimeSpan ReminderLead)
{
    /// <summary>The cadence at a level, or null where none is set.</summary>
    public TimeSpan? At(EscalationLevel level) => Cadence.TryGetValue(level, out var every) ? every : null;

    /// <summary>
    /// When the reporter's next report is due: a cadence after its latest report, but a report
    /// from before the level was entered does not count, so the cadence runs from the level's start.
    /// Null when the level has no cadence.
    /// </summary>
    public DateTimeOffset? DueAt(EscalationLevel level, DateTimeOffset levelSince, DateTimeOffset? lastReport) =>
        At(level) is { } every ? (lastReport is { } last && last > levelSince ? last : levelSince) + every : null;

    /// <summary>Whether the reporter is overdue at <paramref name="now"/>: strictly after the due time (a report due at 12:00 is on time at 12:00).</summary>
    public bool IsOverdue(EscalationLevel level, DateTimeOffset levelSince, DateTimeOffset? lastReport, DateTimeOffset now) =>
        DueAt(level, levelSince, lastReport) is { } due && now > due;
}
