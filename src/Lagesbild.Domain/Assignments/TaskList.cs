using System.Collections.Immutable;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Assignments;

/// <summary>One task of an event kind's default list: what to do, how to report back, and how many hours the receiver has.</summary>
public sealed record TaskTemplate(string Title, string? Instructions, int DueInHours, string? ReportBack = null);

/// <summary>
/// Central krisledning gives the default task list of a kind of event (e.g. långvarigt elavbrott) to every affected
/// district in one go; each task becomes an ordinary uppdrag, <c>&lt;id&gt;-&lt;district&gt;-&lt;n&gt;</c>.
/// </summary>
public sealed record IssueTaskList(string? Id, string? EventKind, ImmutableArray<string>? Districts, string? Reason = null, bool Internal = false);

/// <summary>How a task list becomes uppdrag: checked whole first, so a list is given entirely or not at all.</summary>
public static class TaskListRules
{
    /// <summary>The list's id is the first part of each uppdrag's id, which may be 60 characters in all.</summary>
    public const int IdLimit = 30;

    /// <summary>The uppdrag a list gives, in order (district by district, each district's tasks in the list's order), or why it cannot be given.</summary>
    public static (IReadOnlyList<(string Id, SendAssignment Command)> Tasks, Refusal? Refusal) Plan(
        IssueTaskList issue, IReadOnlyDictionary<string, IReadOnlyList<TaskTemplate>> lists, IAreas areas, DateTimeOffset now)
    {
        var problems = new Problems();
        if (!EntityRef.IsValidId(issue.Id) || issue.Id!.Length > IdLimit)
            problems.Add("id", $"Ett listans id består av 1–{IdLimit} små bokstäver a–z, siffror och bindestreck.");
        problems.Required("eventKind", issue.EventKind);
        IReadOnlyList<TaskTemplate>? tasks = null;
        if (issue.EventKind is { } kind && !lists.TryGetValue(kind, out tasks))
            problems.Add("eventKind", $"Det finns ingen uppdragslista för händelsetypen {kind}; välj en av {string.Join(", ", lists.Keys.Order(StringComparer.Ordinal))}.");
        if (issue.Districts is not { Length: > 0 } districts)
            problems.Add("districts", "Ange minst ett berört stadsdelsområde.");
        else
        {
            foreach (var district in districts.Where(d => d is null || !areas.DistrictExists(d)))
                problems.Add("districts", $"Stadsdelsområdet {district} finns inte.");
            if (districts.Distinct(StringComparer.Ordinal).Count() != districts.Length)
                problems.Add("districts", "Varje stadsdelsområde anges en gång.");
        }
        problems.Text("reason", issue.Reason, 2000);
        if (problems.ToRefusal() is { } refusal)
            return ([], refusal);

        // Deadlines count from the whole second, as the store keeps times: a retried list then gives exactly the same uppdrag.
        now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, now.Offset);
        var planned = issue.Districts!.Value.SelectMany(district => tasks!.Select((task, n) => (
            Id: $"{issue.Id}-{district}-{n + 1}",
            Command: new SendAssignment(task.Title, task.Instructions, new Assignee(AssigneeKind.District, district), now.AddHours(task.DueInHours), task.ReportBack)
            {
                Reason = issue.Reason,
                Internal = issue.Internal,
            }))).ToArray();
        return (planned, null);
    }
}
