using System.Collections.Immutable;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Domain.Reports;

/// <summary>One thing in the picture as the samlad lägesbild reads it: its state and the loggbok entry that made it so (the statement's source).</summary>
public sealed record SourcedState(EntityRef Entity, long Seq, object State);

/// <summary>One change since the last orientation: its loggbok entry, what changed and who.</summary>
public sealed record OverviewChange(long Seq, DateTimeOffset At, string Entity, string Type, string By, string? District);

/// <summary>
/// The samlad lägesbild for the krisledningsmöte, built on the server in one place
/// (<see cref="SituationOverview.Build"/>) and rendered by the page or an exporter as it is.
/// Every figure names its sources: loggbok entries by sequence number (a report is its entry too).
/// </summary>
public sealed record SituationOverviewModel(
    long Seq,
    DateTimeOffset BuiltAt,
    OverviewCity City,
    DateTimeOffset? NextBriefing,
    long? NextBriefingSource,
    ImmutableArray<OverviewReporter> Reports,
    OverviewPoints Points,
    ImmutableArray<OverviewSector> Sectors,
    ImmutableArray<OverviewBody> CrisisBodies,
    ImmutableArray<OverviewRequest> Requests,
    OverviewSince? Since,
    DateTimeOffset? LastBriefing = null,
    long? LastBriefingSource = null);

/// <param name="CadenceHours">The reporting cadence at the city's level, or null where reports are written when needed.</param>
public sealed record OverviewCity(EscalationLevel Level, string? DecidedBy, DateTimeOffset? DecidedAt, long Source, double? CadenceHours, ImmutableArray<OverviewLevelStep> History);

public sealed record OverviewLevelStep(string From, string To, DateTimeOffset At, string DecidedBy, long Source);

/// <summary>A reporter's latest lägesrapport: its age, when the next is due by the cadence and whether it is overdue.</summary>
public sealed record OverviewReporter(
    string Reporter, AssigneeKind Kind, string Id, string Name, int? Number, int? Version, string? Headline,
    DateTimeOffset? SentAt, string? SentBy, double? AgeMinutes, DateTimeOffset? DueAt, bool Overdue, long? Source);

public sealed record OverviewPoints(
    IReadOnlyDictionary<string, int> ByStatus, int InOperation, int Visitors, int Capacity, int OnBackupPower,
    ImmutableArray<OverviewPoint> BackupPower, ImmutableArray<long> Sources);

/// <param name="FuelHours">Hours of fuel, when the point has reported them.</param>
public sealed record OverviewPoint(string Id, string Name, string District, int Visitors, int Capacity, double? FuelHours, long Source);

public sealed record OverviewSector(string Id, string Name, SectorStatus Status, long Source);

public sealed record OverviewBody(string Id, string Name, Activation Activation, long Source);

/// <summary>A begäran still followed: its answer rate and each recipient's status.</summary>
public sealed record OverviewRequest(string Id, string Title, DateTimeOffset Deadline, double AnswerRate, IReadOnlyDictionary<string, RecipientStatus> Recipients, long Source);

/// <summary>What changed since a chosen time, grouped by district, by sector, and the rest under the city.</summary>
public sealed record OverviewSince(DateTimeOffset From, IReadOnlyDictionary<string, ImmutableArray<OverviewChange>> Districts, IReadOnlyDictionary<string, ImmutableArray<OverviewChange>> Sectors, ImmutableArray<OverviewChange> City, bool Truncated);

/// <summary>Builds the samlad lägesbild from the picture's states: a pure function, so its figures are tested from given states.</summary>
public static class SituationOverview
{
    /// <summary>
    /// The last stabsorientering: the latest meeting central krisledning scheduled that has begun by
    /// <paramref name="now"/> (its time and the loggbok entry that scheduled it), the default for "sedan senaste orienteringen".
    /// </summary>
    public static (DateTimeOffset At, long Source)? LastBriefing(IEnumerable<(long Seq, DateTimeOffset At)> scheduled, DateTimeOffset now) =>
        scheduled.Where(m => m.At <= now).OrderBy(m => m.At).ThenBy(m => m.Seq).Select(m => ((DateTimeOffset At, long Source)?)(m.At, m.Seq)).LastOrDefault();

    /// <summary>The crisis body whose meetings are the stabsorienteringar.</summary>
    public const string CentralBody = "central-krisledning";

    /// <summary>Points that count as open for visitors and capacity.</summary>
    private static bool Operating(SafetyPointStatus status) => SafetyPointRules.InOperation.Contains(status);

    public static SituationOverviewModel Build(long seq, IEnumerable<SourcedState> states, ReportingRhythm rhythm, DateTimeOffset now,
        IReadOnlyList<OverviewChange>? changes = null, DateTimeOffset? since = null, bool truncated = false, (DateTimeOffset At, long Source)? lastBriefing = null)
    {
        var all = states.ToArray();
        var city = all.FirstOrDefault(s => s.State is CityState);
        var cityState = city?.State as CityState ?? new CityState("", EscalationLevel.Normal, null, null, null);
        var levelSince = cityState.DecidedAt ?? DateTimeOffset.MinValue;
        var reports = all.Where(s => s.State is SituationReportState).ToDictionary(s => s.Entity.Id, s => s, StringComparer.Ordinal);

        OverviewReporter Reporter(AssigneeKind kind, string id, string name)
        {
            var stream = ReportRules.StreamOf(new Assignee(kind, id));
            var latest = reports.GetValueOrDefault(stream);
            var report = latest?.State as SituationReportState;
            var due = rhythm.DueAt(cityState.Level, levelSince, report?.SentAt);
            return new OverviewReporter(stream, kind, id, name, report?.Number, report?.Version, report?.Name, report?.SentAt, report?.SentBy,
                report is null ? null : Math.Round((now - report.SentAt).TotalMinutes, 1), due,
                rhythm.IsOverdue(cityState.Level, levelSince, report?.SentAt, now), latest?.Seq);
        }

        var districts = all.Where(s => s.State is DistrictState).OrderBy(s => s.Entity.Id, StringComparer.Ordinal)
            .Select(s => Reporter(AssigneeKind.District, s.Entity.Id, ((DistrictState)s.State).Name));
        var sectors = all.Where(s => s.State is SectorState).OrderBy(s => s.Entity.Id, StringComparer.Ordinal).ToArray();
        var bodies = all.Where(s => s.State is CrisisBodyState).OrderBy(s => s.Entity.Id, StringComparer.Ordinal).ToArray();
        var points = all.Where(s => s.State is SafetyPointState).OrderBy(s => s.Entity.Id, StringComparer.Ordinal).ToArray();

        var history = all.Where(s => s.State is ResolutionState { Escalation: { } step } && step.Entity.StartsWith("City/", StringComparison.Ordinal))
            .Select(s => (ResolutionState)s.State)
            .OrderBy(r => r.Escalation!.ChangeSeq)
            .Select(r => new OverviewLevelStep(r.Escalation!.From, r.Escalation.To, r.DecidedAt, r.DecidedBy, r.Escalation.ChangeSeq))
            .ToImmutableArray();

        var central = bodies.FirstOrDefault(b => b.Entity.Id == CentralBody);
        var operating = points.Where(p => Operating(((SafetyPointState)p.State).Status)).ToArray();
        var onBackup = operating.Where(p => ((SafetyPointState)p.State).Resources.BackupPower.Available).Select(p =>
        {
            var point = (SafetyPointState)p.State;
            var fuel = point.Resources.BackupPower.FuelHours;
            return new OverviewPoint(p.Entity.Id, point.Name, point.District, point.Visitors, point.Capacity, fuel > 0 ? fuel : null, p.Seq);
        }).ToImmutableArray();

        return new SituationOverviewModel(
            seq,
            now,
            new OverviewCity(cityState.Level, cityState.DecidedBy, cityState.DecidedAt, city?.Seq ?? 0, rhythm.At(cityState.Level)?.TotalHours, history),
            (central?.State as CrisisBodyState)?.NextMeeting?.At,
            central?.State is CrisisBodyState { NextMeeting: not null } ? central.Seq : null,
            [
                .. districts,
                .. sectors.Select(s => Reporter(AssigneeKind.Sector, s.Entity.Id, ((SectorState)s.State).Name)),
            ],
            new OverviewPoints(
                Enum.GetValues<SafetyPointStatus>().ToDictionary(status => status.ToString(), status => points.Count(p => ((SafetyPointState)p.State).Status == status)),
                operating.Length,
                operating.Sum(p => ((SafetyPointState)p.State).Visitors),
                operating.Sum(p => ((SafetyPointState)p.State).Capacity),
                onBackup.Length,
                onBackup,
                [.. points.Select(p => p.Seq)]),
            [.. sectors.Select(s => new OverviewSector(s.Entity.Id, ((SectorState)s.State).Name, ((SectorState)s.State).Status, s.Seq))],
            [.. bodies.Select(b => new OverviewBody(b.Entity.Id, ((CrisisBodyState)b.State).Name, ((CrisisBodyState)b.State).Activation, b.Seq))],
            [
                .. all.Where(s => s.State is ReportRequestState r && ReportRequestRules.IsFollowed(r, now)).OrderBy(s => s.Entity.Id, StringComparer.Ordinal).Select(s =>
                {
                    var request = (ReportRequestState)s.State;
                    return new OverviewRequest(s.Entity.Id, request.Name, request.Deadline, ReportRequestRules.AnswerRate(request),
                        request.Recipients.ToDictionary(r => r.Reporter, r => ReportRequestRules.StatusOf(r, request.Deadline, now)), s.Seq);
                }),
            ],
            since is { } from ? Group(from, changes ?? [], truncated) : null,
            lastBriefing?.At,
            lastBriefing?.Source);
    }

    /// <summary>Changes grouped by where they belong: a district's (its points, itself, its local body, its reports), a sector's, or the city's.</summary>
    private static OverviewSince Group(DateTimeOffset from, IReadOnlyList<OverviewChange> changes, bool truncated)
    {
        static string? SectorOf(string entity) =>
            entity.StartsWith("Sector/", StringComparison.Ordinal) ? entity["Sector/".Length..]
            : entity.StartsWith("SituationReport/sector-", StringComparison.Ordinal) ? entity["SituationReport/sector-".Length..]
            : null;
        var districts = changes.Where(c => c.District is not null).GroupBy(c => c.District!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        var sectors = changes.Where(c => c.District is null && SectorOf(c.Entity) is not null).GroupBy(c => SectorOf(c.Entity)!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToImmutableArray(), StringComparer.Ordinal);
        var city = changes.Where(c => c.District is null && SectorOf(c.Entity) is null).ToImmutableArray();
        return new OverviewSince(from, districts, sectors, city, truncated);
    }
}
