using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.SafetyPoints;

/// <summary>The separate statuses that make up a trygghetspunkt's condition, each reported and dated on its own.</summary>
public enum ConditionKind
{
    Power,
    Heat,
    Water,
    Communications,
    /// <summary>Visitors against day capacity, and overnight places: dated by the visitors' and the overnight report.</summary>
    Capacity,
    Accessibility,
    Staffing,
}

/// <summary>Where the point's electricity comes from now.</summary>
public enum PowerSource
{
    Grid,
    Backup,
    None,
}

/// <summary>Where the point's water comes from now.</summary>
public enum WaterSource
{
    Mains,
    Stored,
    None,
}

/// <summary>Power: grid, backup (with hours of fuel left and when refuelling is due) or none.</summary>
public sealed record PowerStatus(PowerSource? Source, double? FuelHours = null, DateTimeOffset? RefuelDue = null)
{
    internal void Check(Problems problems)
    {
        problems.Defined("power.source", Source);
        // A full week of fuel is more than any point stores; more is a typing error.
        problems.Range("power.fuelHours", FuelHours, 0, 168, required: Source == PowerSource.Backup);
        if (Source is not PowerSource.Backup && (FuelHours is not null || RefuelDue is not null))
            problems.Add("power.fuelHours", "Bränsle och tankning anges bara när punkten går på reservkraft.");
    }
}

/// <summary>Heat: the indoor temperature, read against the 18 °C a point should keep.</summary>
public sealed record HeatStatus(double? IndoorCelsius)
{
    internal void Check(Problems problems) => problems.Range("heat.indoorCelsius", IndoorCelsius, -30, 45);
}

/// <summary>Water: mains, stored (with litres left) or none.</summary>
public sealed record WaterStatus(WaterSource? Source, int? Litres = null)
{
    internal void Check(Problems problems)
    {
        problems.Defined("water.source", Source);
        problems.Range("water.litres", Litres, 0, 100_000, required: Source == WaterSource.Stored);
    }
}

/// <summary>Communications: phone, internet and Rakel radio, each up or down.</summary>
public sealed record CommsStatus(bool? Phone, bool? Internet, bool? Rakel)
{
    internal void Check(Problems problems)
    {
        problems.Required("communications.phone", Phone);
        problems.Required("communications.internet", Internet);
        problems.Required("communications.rakel", Rakel);
    }
}

/// <summary>Accessibility: step-free access and an accessible toilet.</summary>
public sealed record AccessibilityStatus(bool? StepFree, bool? AccessibleToilet)
{
    internal void Check(Problems problems)
    {
        problems.Required("accessibility.stepFree", StepFree);
        problems.Required("accessibility.accessibleToilet", AccessibleToilet);
    }
}

/// <summary>Staffing: staff and FRG volunteers on site now, and when the next shift starts.</summary>
public sealed record StaffingStatus(int? Staff, int? FrgVolunteers, DateTimeOffset? NextShift = null)
{
    internal void Check(Problems problems)
    {
        problems.Range("staffing.staff", Staff, 0, 500);
        problems.Range("staffing.frgVolunteers", FrgVolunteers, 0, 500);
    }
}

/// <summary>Who reported a status, and when.</summary>
public sealed record StatusReport(string By, DateTimeOffset At);

/// <summary>
/// A trygghetspunkt's condition: each status as last reported, and who reported it when. A status
/// never reported is absent. Visitors and day capacity live on the point itself; the capacity
/// status adds overnight places and is dated by either report.
/// </summary>
public sealed record SafetyPointCondition(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PowerStatus? Power = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] HeatStatus? Heat = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] WaterStatus? Water = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CommsStatus? Communications = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? OvernightPlaces = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AccessibilityStatus? Accessibility = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StaffingStatus? Staffing = null,
    ImmutableSortedDictionary<ConditionKind, StatusReport>? Reported = null)
{
    public static readonly SafetyPointCondition None = new();

    public ImmutableSortedDictionary<ConditionKind, StatusReport> Reported { get; init; } =
        Reported ?? ImmutableSortedDictionary<ConditionKind, StatusReport>.Empty;

    /// <summary>This with the given statuses replaced, each dated to the report.</summary>
    public SafetyPointCondition With(ReportSafetyPointCondition report, StatusReport stamp)
    {
        var next = this with
        {
            Power = report.Power ?? Power,
            Heat = report.Heat ?? Heat,
            Water = report.Water ?? Water,
            Communications = report.Communications ?? Communications,
            OvernightPlaces = report.OvernightPlaces ?? OvernightPlaces,
            Accessibility = report.Accessibility ?? Accessibility,
            Staffing = report.Staffing ?? Staffing,
        };
        return report.Kinds().Aggregate(next, (condition, kind) => condition.Stamped(kind, stamp));
    }

    public SafetyPointCondition Stamped(ConditionKind kind, StatusReport stamp) => this with { Reported = Reported.SetItem(kind, stamp) };
}
