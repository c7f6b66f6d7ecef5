using System.Text.RegularExpressions;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Duty;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Domain.Resources;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Domain.Picture;

/// <summary>The kinds of things the city manages in a picture.</summary>
public enum EntityKind
{
    City,
    District,
    SafetyPoint,
    Sector,
    CrisisBody,
    /// <summary>A beslut in the beslutslogg.</summary>
    Resolution,
    /// <summary>An uppdrag between levels.</summary>
    Assignment,
    /// <summary>One reporter's lägesrapporter (a district's, a sector's or a crisis body's).</summary>
    SituationReport,
    /// <summary>A begäran om lägesrapport.</summary>
    ReportRequest,
    /// <summary>A beredskapsschema: who holds a duty (TiB, a district's, a sector's) when.</summary>
    DutyRoster,
    /// <summary>A tracked resource (generator, water tank, fuel truck, staff, FRG, ordningsvakter).</summary>
    Resource,
    /// <summary>A district's begäran of a resource for one of its trygghetspunkter.</summary>
    ResourceRequest,
    /// <summary>A larm to the person on duty, escalated in waves until acknowledged.</summary>
    Alert,
    /// <summary>An exercise as it runs: its clock and its inspel (one per exercise picture).</summary>
    Exercise,
    /// <summary>A message in a desk's inkorg in an exercise (an inspel delivered, or motspel).</summary>
    Message,
    /// <summary>An exercise's evaluation: observations, objective ratings, improvement items (one per exercise picture).</summary>
    Evaluation,
}

public static class EntityKinds
{
    /// <summary>The record a thing of this kind keeps as its state.</summary>
    public static Type StateType(EntityKind kind) => kind switch
    {
        EntityKind.City => typeof(CityState),
        EntityKind.District => typeof(DistrictState),
        EntityKind.SafetyPoint => typeof(SafetyPointState),
        EntityKind.Sector => typeof(SectorState),
        EntityKind.CrisisBody => typeof(CrisisBodyState),
        EntityKind.Resolution => typeof(ResolutionState),
        EntityKind.Assignment => typeof(AssignmentState),
        EntityKind.SituationReport => typeof(SituationReportState),
        EntityKind.ReportRequest => typeof(ReportRequestState),
        EntityKind.DutyRoster => typeof(DutyRosterState),
        EntityKind.Resource => typeof(ResourceState),
        EntityKind.ResourceRequest => typeof(ResourceRequestState),
        EntityKind.Alert => typeof(AlertState),
        EntityKind.Exercise => typeof(Exercises.ExerciseRunState),
        EntityKind.Message => typeof(Exercises.MessageState),
        EntityKind.Evaluation => typeof(Exercises.EvaluationState),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>One thing in a picture, e.g. <c>SafetyPoint/farsta-storforsplan</c>.</summary>
public readonly partial record struct EntityRef(EntityKind Kind, string Id)
{
    public override string ToString() => $"{Kind}/{Id}";

    /// <summary>Readable ids: lower-case letters, digits and dashes, 1–60 characters.</summary>
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{0,59}\z")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static bool TryParse(string? text, out EntityRef entity)
    {
        entity = default;
        var slash = text?.IndexOf('/') ?? -1;
        if (slash <= 0 || !Enum.TryParse<EntityKind>(text![..slash], ignoreCase: false, out var kind) || !Enum.IsDefined(kind))
            return false;
        var id = text[(slash + 1)..];
        if (!IsValidId(id))
            return false;
        entity = new EntityRef(kind, id);
        return true;
    }
}
