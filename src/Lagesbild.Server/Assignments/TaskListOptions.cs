using System.ComponentModel.DataAnnotations;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Server.Assignments;

/// <summary>
/// The default task lists per kind of event, as the city's programme sets them (appsettings.json holds Stockholm's):
/// central krisledning gives a kind's list to every affected district in one command.
/// </summary>
public sealed class TaskListOptions : IValidatableObject
{
    public const string Section = "Lagesbild:TaskLists";

    /// <summary>Each kind of event by its id (e.g. <c>langvarigt-elavbrott</c>).</summary>
    public Dictionary<string, EventKind> EventKinds { get; set; } = [];

    /// <summary>A kind of event and the tasks every affected district is given.</summary>
    public sealed class EventKind
    {
        /// <summary>The kind's name as the page shows it, e.g. "Långvarigt elavbrott".</summary>
        public string Name { get; set; } = "";

        public List<ListTask> Tasks { get; set; } = [];
    }

    /// <summary>One task of the list.</summary>
    public sealed class ListTask
    {
        public string Title { get; set; } = "";
        public string? Instructions { get; set; }
        public string? ReportBack { get; set; }
        /// <summary>Hours from the list being given until the task is due.</summary>
        public int DueInHours { get; set; } = 24;
    }

    /// <summary>The lists as the rules take them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TaskTemplate>> Templates() =>
        EventKinds.ToDictionary(kind => kind.Key, kind => (IReadOnlyList<TaskTemplate>)kind.Value.Tasks
            .Select(t => new TaskTemplate(t.Title.Trim(), string.IsNullOrWhiteSpace(t.Instructions) ? null : t.Instructions.Trim(), t.DueInHours,
                string.IsNullOrWhiteSpace(t.ReportBack) ? null : t.ReportBack.Trim()))
            .ToArray(), StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (id, kind) in EventKinds)
        {
            var where = $"{nameof(EventKinds)}:{id}";
            if (!EntityRef.IsValidId(id) || id.Length > TaskListRules.IdLimit)
                yield return new($"Händelsetypens id '{id}' ska vara 1–{TaskListRules.IdLimit} små bokstäver a–z, siffror och bindestreck.", [where]);
            if (string.IsNullOrWhiteSpace(kind.Name))
                yield return new($"Händelsetypen {id} saknar namn.", [where]);
            if (kind.Tasks.Count == 0)
                yield return new($"Händelsetypen {id} har inga uppdrag i sin lista.", [where]);
            for (var n = 0; n < kind.Tasks.Count; n++)
            {
                var task = kind.Tasks[n];
                // The same checks an uppdrag sent by hand gets, so a configured list is never refused when it is given.
                var problems = new Problems();
                problems.Text("title", task.Title, AssignmentRules.TitleLimit, required: true);
                problems.Text("instructions", task.Instructions, AssignmentRules.TextLimit);
                problems.Text("reportBack", task.ReportBack, 1000);
                if (task.DueInHours is < 1 or > 24 * 365)
                    problems.Add("dueInHours", "Ska vara 1–8760 timmar.");
                if (problems.ToRefusal() is { Errors: { } errors })
                {
                    foreach (var (field, messages) in errors)
                        yield return new($"Uppdrag {n + 1} i händelsetypen {id}: {field}: {string.Join(" ", messages)}", [$"{where}:Tasks:{n}"]);
                }
            }
        }
    }
}
