using System.Collections.Immutable;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Domain.Reports;

/// <summary>
/// A district or sector whose lägesrapport is late: by the operativ rytm (<paramref name="DueAt"/> has passed)
/// or as the answer to a begäran (<paramref name="Requests"/>, their ids). The map marks its area, the panel lists it.
/// </summary>
public sealed record OverdueReporter(string Reporter, AssigneeKind Kind, string Id, string Name, DateTimeOffset? DueAt, ImmutableArray<string> Requests);

/// <summary>
/// Who is late with a report now, judged from the picture's states by the cadence
/// (<see cref="ReportingRhythm.IsOverdue"/>) and each begäran's deadline (<see cref="ReportRequestRules.StatusOf"/>),
/// and when that next changes by time alone, so a flag rises and clears without any change to announce it.
/// </summary>
public static class ReportingOverdue
{
    public static (ImmutableArray<OverdueReporter> Reporters, DateTimeOffset? ChangesAt) Judge(
        IReadOnlyCollection<SourcedState> states, ReportingRhythm rhythm, DateTimeOffset now)
    {
        var city = states.Select(s => s.State).OfType<CityState>().FirstOrDefault();
        var level = city?.Level ?? EscalationLevel.Normal;
        var levelSince = city?.DecidedAt ?? DateTimeOffset.MinValue;
        var lastReport = states.Where(s => s.State is SituationReportState)
            .ToDictionary(s => s.Entity.Id, s => ((SituationReportState)s.State).SentAt, StringComparer.Ordinal);
        DateTimeOffset? changesAt = null;
        void Next(DateTimeOffset at)
        {
            if (at > now && (changesAt is null || at < changesAt))
                changesAt = at;
        }

        var lateAnswers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var s in states.Where(s => s.State is ReportRequestState).OrderBy(s => s.Entity.Id, StringComparer.Ordinal))
        {
            var request = (ReportRequestState)s.State;
            if (!ReportRequestRules.IsFollowed(request, now))
                continue;
            // Both edges are strict: late just after the deadline, no longer followed just after a day more.
            Next(request.Deadline.AddTicks(1));
            Next(ReportRequestRules.FollowedUntil(request).AddTicks(1));
            foreach (var recipient in request.Recipients.Where(r => ReportRequestRules.StatusOf(r, request.Deadline, now) == RecipientStatus.Overdue))
            {
                if (!lateAnswers.TryGetValue(recipient.Reporter, out var ids))
                    lateAnswers[recipient.Reporter] = ids = [];
                ids.Add(s.Entity.Id);
            }
        }

        var reporters = ImmutableArray.CreateBuilder<OverdueReporter>();
        foreach (var s in states.OrderBy(s => s.Entity.Id, StringComparer.Ordinal))
        {
            (AssigneeKind Kind, string Name)? reporter = s.State switch
            {
                DistrictState d => (AssigneeKind.District, d.Name),
                SectorState sector => (AssigneeKind.Sector, sector.Name),
                _ => null,
            };
            if (reporter is not var (k, name))
                continue;
            var stream = ReportRules.StreamOf(new Assignee(k, s.Entity.Id));
            DateTimeOffset? last = lastReport.TryGetValue(stream, out var sent) ? sent : null;
            var due = rhythm.DueAt(level, levelSince, last);
            if (due is { } dueAt)
                Next(dueAt.AddTicks(1));
            var byCadence = rhythm.IsOverdue(level, levelSince, last, now);
            var requests = lateAnswers.TryGetValue(stream, out var late) ? [.. late] : ImmutableArray<string>.Empty;
            if (byCadence || requests.Length > 0)
                reporters.Add(new OverdueReporter(stream, k, s.Entity.Id, name, byCadence ? due : null, requests));
        }
        return (reporters.ToImmutable(), changesAt);
    }
}
