namespace Lagesbild.Domain.Picture;

/// <summary>
/// The person (or system) behind a change, as recorded in the loggbok: a name, a role and,
/// for roles scoped to part of the city, the district or sector they answer for.
/// </summary>
public sealed record Actor(string Name, string Role, string? District = null, string? Sector = null)
{
    public static readonly Actor System = new("Lagesbild (system)", Roles.System);
}

/// <summary>The roles of the city's crisis organisation, as they appear in tokens and the loggbok.</summary>
public static class Roles
{
    /// <summary>Central krisledning: may do everything.</summary>
    public const string Central = "central";
    /// <summary>A stadsdelsförvaltning's operator: its own district's points, reports and local level.</summary>
    public const string District = "district";
    /// <summary>A sector lead: their sector's status and reports.</summary>
    public const string Sector = "sector";
    /// <summary>TiB, tjänsteperson i beredskap.</summary>
    public const string DutyOfficer = "tib";
    /// <summary>A partner (police, SSBF, region, länsstyrelse): sees the operators' picture, changes nothing.</summary>
    public const string Observer = "observer";
    /// <summary>A resident: only the public view.</summary>
    public const string Public = "public";
    /// <summary>
    /// Krisledningsnämndens ordförande, or the deputy the city's provider gives this role
    /// (its RoleMap): decides extraordinär händelse; reads the operators' picture, changes nothing else.
    /// </summary>
    public const string Chair = "chair";
    /// <summary>
    /// An evaluator (utvärderare) of an exercise: notes observations, rates objectives and records improvement
    /// items beside exercise control; reads the operators' picture and changes nothing in it.
    /// </summary>
    public const string Evaluator = "evaluator";
    /// <summary>Lagesbild itself, registering the city's configuration.</summary>
    public const string System = "system";

    public static readonly IReadOnlyList<string> All = [Central, District, Sector, DutyOfficer, Observer, Public, Chair, Evaluator];

    /// <summary>Roles that may see the operators' picture (everything but the public view).</summary>
    public static bool SeesOperatorsPicture(string role) => role is Central or District or Sector or DutyOfficer or Observer or System or Chair or Evaluator;

    /// <summary>Roles that see notes the city has marked internal.</summary>
    public static bool SeesInternalNotes(string role) => role is Central or District or Sector or DutyOfficer or System or Chair or Evaluator;

    /// <summary>Roles that read an exercise's evaluation (observations, ratings, improvement items): exercise control and its evaluators.</summary>
    public static bool SeesEvaluation(string role) => role is Central or System or Evaluator;
}
