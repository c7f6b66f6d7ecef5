using System.Collections.Immutable;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Tests.SafetyPoints;

/// <summary>Farsta's district office as a trygghetspunkt, in whatever state a test needs.</summary>
internal static class Points
{
    public static readonly EntityRef Farsta = new(EntityKind.SafetyPoint, "farsta-storforsplan");

    /// <summary>Storforsplan 36, inside Farsta.</summary>
    public static readonly GeoPosition InFarsta = new(18.0915, 59.2436);

    /// <summary>Medborgarplatsen: in Stockholm, but in Södermalm.</summary>
    public static readonly GeoPosition InSodermalm = new(18.0717, 59.3146);

    public static RegisterSafetyPoint Register() => new(
        District: "farsta",
        Name: "Farsta stadsdelsförvaltning",
        Address: "Storforsplan 36",
        Position: InFarsta,
        Tier: 2,
        Capacity: 150,
        Capabilities: [Capability.Information, Capability.Charging, Capability.Heat],
        BackupPower: true,
        Example: false);

    public static SafetyPointState In(SafetyPointStatus status, int visitors = 0) => new(
        "farsta",
        "Farsta stadsdelsförvaltning",
        "Storforsplan 36",
        InFarsta,
        Tier: 2,
        Capacity: 150,
        status,
        Limitations: status == SafetyPointStatus.Limited ? "Ingen värme i stora salen" : null,
        ImmutableSortedDictionary<Capability, CapabilityState>.Empty.Add(Capability.Information, CapabilityState.Available),
        SafetyPointResources.None(backupPower: true),
        visitors,
        Example: false);

    public static Decision<SafetyPointState> Decide(SafetyPointState? state, SafetyPointCommand command) =>
        SafetyPointRules.Decide(Farsta, state, command, Decisions.Context);

    public static ChangeSafetyPointStatus MoveTo(SafetyPointStatus status, string? limitations = null) => new(status, limitations);

    public static ReportSafetyPointResources Resources(BackupPower power) => new(power, WaterLitres: 500, Staff: 4, FrgVolunteers: 6, Radios: 2);
}
