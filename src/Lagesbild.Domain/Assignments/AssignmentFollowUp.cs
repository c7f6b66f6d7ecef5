using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Assignments;

/// <summary>Follow-up of the uppdrag given to one district or sector: how many are open and overdue, and how fast they are taken up and done.</summary>
/// <param name="Kind">District or Sector.</param>
/// <param name="Id">The district's or sector's id.</param>
/// <param name="Open">Sent, received or in progress.</param>
/// <param name="Overdue">Open and past their deadline.</param>
/// <param name="Unacknowledged">Sent and not yet received.</param>
/// <param name="MedianMinutesToAcknowledge">From sent to received, over those received; null before the first.</param>
/// <param name="MedianMinutesToFinish">From sent to done, over those done; null before the first.</param>
public sealed record FollowUpRow(AssigneeKind Kind, string Id, int Open, int Overdue, int Unacknowledged, double? MedianMinutesToAcknowledge, double? MedianMinutesToFinish);

/// <summary>
/// The follow-up figures of the issue (per district and sector: open, overdue, median time to acknowledge and to
/// finish), computed in this one place; the task panel shows what the server computes here.
/// </summary>
public static class AssignmentFollowUp
{
    /// <summary>
    /// An uppdrag counts for the district it concerns (a district's or its local crisis management's, or one sent
    /// about a district) and for the sector it is given to; cancelled ones count nowhere, as they were never the receiver's to do.
    /// </summary>
    public static IReadOnlyList<FollowUpRow> Compute(IEnumerable<AssignmentState> assignments, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var groups = new Dictionary<(AssigneeKind, string), List<AssignmentState>>();
        foreach (var task in assignments.Where(t => t.Status != AssignmentStatus.Cancelled))
        {
            foreach (var key in GroupsOf(task))
            {
                if (!groups.TryGetValue(key, out var list))
                    groups[key] = list = [];
                list.Add(task);
            }
        }
        return groups
            .OrderBy(g => g.Key.Item1).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => new FollowUpRow(g.Key.Item1, g.Key.Item2,
                Open: g.Value.Count(t => AssignmentRules.IsOpen(t.Status)),
                Overdue: g.Value.Count(t => IsOverdue(t, now)),
                Unacknowledged: g.Value.Count(t => t.Status == AssignmentStatus.Sent),
                MedianMinutesToAcknowledge: FollowUpMedian.Of(g.Value.Where(t => t.ReceivedAt is not null).Select(t => (t.ReceivedAt!.Value - t.SentAt).TotalMinutes)),
                MedianMinutesToFinish: FollowUpMedian.Of(g.Value.Where(t => t is { Status: AssignmentStatus.Done, FinishedAt: not null }).Select(t => (t.FinishedAt!.Value - t.SentAt).TotalMinutes))))
            .ToArray();
    }

    /// <summary>Open and past its deadline.</summary>
    public static bool IsOverdue(AssignmentState task, DateTimeOffset now) => AssignmentRules.IsOpen(task.Status) && task.Due < now;

    private static IEnumerable<(AssigneeKind, string)> GroupsOf(AssignmentState task)
    {
        if (task.District is { } district)
            yield return (AssigneeKind.District, district);
        if (task.To is { Kind: AssigneeKind.Sector, Id: { } sector })
            yield return (AssigneeKind.Sector, sector);
    }
}
