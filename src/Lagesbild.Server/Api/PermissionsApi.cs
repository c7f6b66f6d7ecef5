using System.Text.Json;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Server.Access;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Api;

/// <summary>
/// What the signed-in person may change in a picture, decided by the server's own rules
/// (<see cref="Permissions"/> asks <see cref="Access.Check"/>), and the point statuses the rules
/// allow: the page greys out and explains from this, with no copy of either.
/// </summary>
public static class PermissionsApi
{
    public static IEndpointRouteBuilder MapPermissionsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pictures/{picture}/permissions", GetPermissionsAsync)
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithTags("Lägesbild")
            .WithName("GetPermissions")
            .Produces<PicturePermissions>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Vad den inloggade får ändra i lägesbilden just nu, och varför inte");
        return app;
    }

    private static async Task<IResult> GetPermissionsAsync(
        string picture, HttpContext http, Actors actors, PictureFeeds feeds, PictureDirectory pictures, IOfficeHours officeHours, TimeProvider clock)
    {
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        var actor = actors.Of(http.User)!;
        var outsideOfficeHours = !officeHours.IsOpen(clock.GetUtcNow());
        var (seq, states) = (await feeds.GetAsync(picture)).States();

        var table = new VerdictTable();
        var entities = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var districts = new List<string>();
        var reporters = new List<string>();
        (EntityRef Ref, CityState? State)? city = null;
        foreach (var (key, json) in states)
        {
            if (!EntityRef.TryParse(key, out var entity))
                continue;
            var state = JsonSerializer.Deserialize(json, EntityKinds.StateType(entity.Kind), DomainJson.Options);
            if (entity.Kind == EntityKind.District)
                districts.Add(entity.Id);
            if (entity.Kind == EntityKind.City)
                city = (entity, (CityState?)state);
            if (entity.Kind is EntityKind.District or EntityKind.Sector or EntityKind.CrisisBody)
                reporters.Add(Domain.Reports.ReportRules.StreamOf(new Domain.Assignments.Assignee(entity.Kind switch
                {
                    EntityKind.District => Domain.Assignments.AssigneeKind.District,
                    EntityKind.Sector => Domain.Assignments.AssigneeKind.Sector,
                    _ => Domain.Assignments.AssigneeKind.CrisisBody,
                }, entity.Id)));
            entities[key] = table.Set(Permissions.ForEntity(actor, entity, state, outsideOfficeHours));
        }
        var register = Permissions.ForRegistration(actor, districts.Order(StringComparer.Ordinal), outsideOfficeHours)
            .ToDictionary(d => d.Key, d => table.Reason(d.Value));
        var cityLevels = city is { } c
            ? Permissions.ForCityLevels(actor, c.Ref, c.State, outsideOfficeHours).ToDictionary(l => l.Key.ToString(), l => table.Reason(l.Value))
            : [];

        return TypedResults.Ok(new PicturePermissions(
            seq, outsideOfficeHours, table.Reasons, table.Sets, entities, register, cityLevels,
            new PointStatusRules(
                SafetyPointRules.Transitions.ToDictionary(t => t.Key.ToString(), t => t.Value.Select(s => s.ToString()).ToArray()),
                SafetyPointRules.InOperation.Select(s => s.ToString()).ToArray()),
            Permissions.ForResolutions(actor, districts.Order(StringComparer.Ordinal)).ToDictionary(m => m.Key, m => table.Reason(m.Value)),
            table.Reason(Permissions.ForSendingAssignments(actor)),
            Domain.Assignments.AssignmentRules.Steps.ToDictionary(s => s.Key.Name, s => s.Value.From.Select(f => f.ToString()).ToArray()),
            Permissions.ForReports(actor, reporters.Order(StringComparer.Ordinal)).ToDictionary(r => r.Key, r => table.Reason(r.Value)),
            table.Reason(Permissions.ForRequestingReports(actor)),
            table.Reason(Domain.Picture.Access.CheckTaskList(actor)),
            Permissions.ForResourceRequests(actor, districts.Order(StringComparer.Ordinal), outsideOfficeHours).ToDictionary(d => d.Key, d => table.Reason(d.Value)),
            table.Reason(Permissions.ForRegisteringResources(actor)),
            Domain.Resources.ResourceRequestRules.Steps.ToDictionary(s => s.Key.Name, s => s.Value.From.Select(f => f.ToString()).ToArray()),
            table.Reason(Domain.Picture.Access.CheckExerciseControl(actor, picture)),
            table.Reason(Domain.Picture.Access.CheckEvaluation(actor, picture))));
    }

    /// <summary>Distinct refusal texts and distinct command → verdict maps, so a city of entities is a few of each.</summary>
    private sealed class VerdictTable
    {
        private readonly Dictionary<string, int> _reasons = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _sets = new(StringComparer.Ordinal);

        public List<string> Reasons { get; } = [];
        public List<SortedDictionary<string, int>> Sets { get; } = [];

        /// <summary>-1 where the person may; else the index of the reason why not.</summary>
        public int Reason(Refusal? refusal)
        {
            if (refusal is null)
                return -1;
            if (!_reasons.TryGetValue(refusal.Reason, out var index))
            {
                _reasons[refusal.Reason] = index = Reasons.Count;
                Reasons.Add(refusal.Reason);
            }
            return index;
        }

        public int Set(IReadOnlyDictionary<string, Refusal?> verdicts)
        {
            var set = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var (command, refusal) in verdicts)
                set[command] = Reason(refusal);
            var key = string.Join(',', set.Select(v => $"{v.Key}:{v.Value}"));
            if (!_sets.TryGetValue(key, out var index))
            {
                _sets[key] = index = Sets.Count;
                Sets.Add(set);
            }
            return index;
        }
    }
}

/// <summary>
/// What one person may change, as the server's rules decide it now. A verdict is -1 where the
/// person may, else an index into <see cref="Reasons"/>: why not, in the server's words.
/// </summary>
/// <param name="Seq">The picture's sequence number the verdicts were taken at.</param>
/// <param name="OutsideOfficeHours">Whether office hours were over (TiB may then act for every district).</param>
/// <param name="CommandSets">Distinct command → verdict maps; <paramref name="Entities"/> points into them.</param>
/// <param name="Entities"><c>Kind/id</c> → index into <paramref name="CommandSets"/>.</param>
/// <param name="Register">District id → verdict on registering a trygghetspunkt there.</param>
/// <param name="CityLevels">Escalation level → verdict on moving the city there.</param>
/// <param name="Resolutions">Mandate (the whole city) or <c>mandate/district</c> → verdict on recording a beslut on it.</param>
/// <param name="SendAssignment">Verdict on giving uppdrag.</param>
/// <param name="AssignmentSteps">Each uppdrag step → the statuses it may be taken from, as the rules state them.</param>
/// <param name="Reports">Each reporter's report stream (<c>district-…</c>, <c>sector-…</c>, <c>body-…</c>) → verdict on writing its lägesrapport.</param>
/// <param name="RequestReports">Verdict on asking for lägesrapporter.</param>
/// <param name="IssueTaskList">Verdict on giving an event kind's default task list to the affected districts.</param>
/// <param name="RequestResources">District id → verdict on asking for resources for its trygghetspunkter.</param>
/// <param name="RegisterResource">Verdict on registering resources.</param>
/// <param name="Evaluation">Verdict on evaluating the exercise and reading its after-action report (exercise control and evaluators; refused on the live picture).</param>
/// <param name="ResourceRequestSteps">Each step of a resource begäran → the statuses it may be taken from, as the rules state them.</param>
public sealed record PicturePermissions(
    long Seq,
    bool OutsideOfficeHours,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<SortedDictionary<string, int>> CommandSets,
    IReadOnlyDictionary<string, int> Entities,
    IReadOnlyDictionary<string, int> Register,
    IReadOnlyDictionary<string, int> CityLevels,
    PointStatusRules PointStatuses,
    IReadOnlyDictionary<string, int> Resolutions,
    int SendAssignment,
    IReadOnlyDictionary<string, string[]> AssignmentSteps,
    IReadOnlyDictionary<string, int> Reports,
    int RequestReports,
    int IssueTaskList,
    IReadOnlyDictionary<string, int> RequestResources,
    int RegisterResource,
    IReadOnlyDictionary<string, string[]> ResourceRequestSteps,
    int ExerciseControl,
    int Evaluation);

/// <summary>A trygghetspunkt's lifecycle as the rules allow it: which status may follow which, and which count as in operation.</summary>
public sealed record PointStatusRules(IReadOnlyDictionary<string, string[]> Next, IReadOnlyList<string> InOperation);
