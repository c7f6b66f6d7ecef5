using System.Collections.Immutable;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.SafetyPoints;

/// <summary>A command to one trygghetspunkt.</summary>
public abstract record SafetyPointCommand : Command
{
    public override EntityKind Kind => EntityKind.SafetyPoint;

    internal static void CheckPosition(Problems problems, GeoPosition? position, bool required, string field = "position")
    {
        if (position is null)
        {
            if (required)
                problems.Add(field, "Måste anges.");
            return;
        }
        // A generous box around Stockholm municipality; the rules then check the district's own area.
        problems.Range($"{field}.lon", position.Lon, 17.5, 18.5);
        problems.Range($"{field}.lat", position.Lat, 59.1, 59.6);
    }
}

/// <summary>Registers a new trygghetspunkt in a district.</summary>
public sealed record RegisterSafetyPoint(
    string? District,
    string? Name,
    string? Address,
    GeoPosition? Position,
    int? Tier,
    int? Capacity,
    ImmutableArray<Capability>? Capabilities,
    bool? BackupPower,
    bool? Example,
    ResidentInfo? ResidentInfo = null) : SafetyPointCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        problems.Text("district", District, 60, required: true);
        problems.Text("name", Name, 200, required: true);
        problems.Text("address", Address, 300, required: true);
        CheckPosition(problems, Position, required: true);
        problems.Range("tier", Tier, 1, 3);
        problems.Range("capacity", Capacity, 1, 10_000);
        ResidentInfo?.Check(problems, "residentInfo");
        if (Capabilities is { } capabilities)
        {
            if (capabilities.Any(c => !Enum.IsDefined(c)))
                problems.Add("capabilities", $"Okänd förmåga. Tillåtna: {string.Join(", ", Enum.GetNames<Capability>())}.");
            if (capabilities.Distinct().Count() != capabilities.Length)
                problems.Add("capabilities", "Samma förmåga står flera gånger.");
        }
    }
}

/// <summary>
/// Corrects a trygghetspunkt's name, address, position, tier, capacity or what residents are told
/// (each of <see cref="ResidentInfo"/>'s texts: null leaves it, "" clears it).
/// </summary>
public sealed record UpdateSafetyPointDetails(
    string? Name,
    string? Address,
    GeoPosition? Position,
    int? Tier,
    int? Capacity,
    ResidentInfo? ResidentInfo = null) : SafetyPointCommand
{
    protected override void Check(Problems problems)
    {
        if (Name is null && Address is null && Position is null && Tier is null && Capacity is null && ResidentInfo is null or { IsEmpty: true })
            problems.Add("", "Ange minst en uppgift att ändra.");
        if (Name is not null)
            problems.Text("name", Name, 200, required: true);
        if (Address is not null)
            problems.Text("address", Address, 300, required: true);
        CheckPosition(problems, Position, required: false);
        problems.Range("tier", Tier, 1, 3, required: false);
        problems.Range("capacity", Capacity, 1, 10_000, required: false);
        ResidentInfo?.Check(problems, "residentInfo");
    }
}

/// <summary>Moves a trygghetspunkt along its activation lifecycle.</summary>
/// <param name="ReferredTo">On closing with visitors inside: where they were referred ("Farsta stadsdelsförvaltning, Storforsplan 36").</param>
public sealed record ChangeSafetyPointStatus(SafetyPointStatus? Status, string? Limitations, string? ReferredTo = null) : SafetyPointCommand
{
    protected override void Check(Problems problems)
    {
        problems.Defined("status", Status);
        problems.Text("limitations", Limitations, 1000);
        problems.Text("referredTo", ReferredTo, 300);
    }
}

/// <summary>Says which capabilities the point offers and whether each can be had now.</summary>
public sealed record SetSafetyPointCapabilities(ImmutableSortedDictionary<Capability, CapabilityState>? Capabilities) : SafetyPointCommand
{
    protected override void Check(Problems problems)
    {
        problems.Required("capabilities", Capabilities);
        if (Capabilities is { } capabilities && capabilities.Any(c => !Enum.IsDefined(c.Key) || !Enum.IsDefined(c.Value)))
            problems.Add("capabilities", "Okänd förmåga eller okänt läge.");
    }
}

/// <summary>Reports what the point has to work with: backup power and fuel, water, staff, FRG volunteers, radios.</summary>
public sealed record ReportSafetyPointResources(
    BackupPower? BackupPower,
    int? WaterLitres,
    int? Staff,
    int? FrgVolunteers,
    int? Radios) : SafetyPointCommand
{
    protected override void Check(Problems problems)
    {
        problems.Required("backupPower", BackupPower);
        if (BackupPower is { } power)
        {
            // A full week of fuel is more than any point stores; more is a typing error.
            problems.Range("backupPower.fuelHours", power.FuelHours, 0, 168);
            if (!power.Available && power.FuelHours > 0)
                problems.Add("backupPower.fuelHours", "Bränsletimmar kan bara anges när det finns reservkraft.");
        }
        problems.Range("waterLitres", WaterLitres, 0, 100_000);
        problems.Range("staff", Staff, 0, 500);
        problems.Range("frgVolunteers", FrgVolunteers, 0, 500);
        problems.Range("radios", Radios, 0, 200);
    }
}

/// <summary>Reports how many visitors are at the point now.</summary>
public sealed record ReportSafetyPointVisitors(int? Visitors) : SafetyPointCommand
{
    protected override void Check(Problems problems) => problems.Range("visitors", Visitors, 0, 20_000);
}

/// <summary>
/// Reports one or more of a point's statuses (power, heat, water, communications, overnight places,
/// accessibility, staffing); each given status replaces the last one and is dated to this report,
/// the others keep their own dates.
/// </summary>
public sealed record ReportSafetyPointCondition(
    PowerStatus? Power = null,
    HeatStatus? Heat = null,
    WaterStatus? Water = null,
    CommsStatus? Communications = null,
    int? OvernightPlaces = null,
    AccessibilityStatus? Accessibility = null,
    StaffingStatus? Staffing = null) : SafetyPointCommand
{
    /// <summary>The statuses this report gives.</summary>
    public IEnumerable<ConditionKind> Kinds()
    {
        if (Power is not null) yield return ConditionKind.Power;
        if (Heat is not null) yield return ConditionKind.Heat;
        if (Water is not null) yield return ConditionKind.Water;
        if (Communications is not null) yield return ConditionKind.Communications;
        if (OvernightPlaces is not null) yield return ConditionKind.Capacity;
        if (Accessibility is not null) yield return ConditionKind.Accessibility;
        if (Staffing is not null) yield return ConditionKind.Staffing;
    }

    protected override void Check(Problems problems)
    {
        if (!Kinds().Any())
            problems.Add("", "Ange minst ett läge att rapportera (ström, värme, vatten, kommunikation, övernattningsplatser, tillgänglighet eller bemanning).");
        Power?.Check(problems);
        Heat?.Check(problems);
        Water?.Check(problems);
        Communications?.Check(problems);
        problems.Range("overnightPlaces", OvernightPlaces, 0, 10_000, required: false);
        Accessibility?.Check(problems);
        Staffing?.Check(problems);
    }
}
