using System.Collections.Immutable;

namespace Lagesbild.Domain.SafetyPoints;

/// <summary>Where a trygghetspunkt is in its activation lifecycle.</summary>
public enum SafetyPointStatus
{
    /// <summary>Vilande: not in use.</summary>
    Inactive,
    /// <summary>Aktiveras: the district has decided to open it; staff are on their way.</summary>
    Activating,
    /// <summary>Öppen.</summary>
    Open,
    /// <summary>Öppen med begränsningar: open, but some of what it should offer is missing.</summary>
    Limited,
    /// <summary>Stängs: closing down, no new visitors.</summary>
    Closing,
    /// <summary>Stängd after having been open.</summary>
    Closed,
}

/// <summary>What residents can get at a trygghetspunkt.</summary>
public enum Capability
{
    Information,
    Charging,
    DrinkingWater,
    Heat,
    Food,
    Toilets,
    Shower,
    FirstAid,
    CrisisSupport,
    Call112,
    Rest,
    OvernightStay,
}

/// <summary>Whether a capability can be had right now.</summary>
public enum CapabilityState
{
    Available,
    Limited,
    Unavailable,
}

/// <summary>A position in WGS 84.</summary>
public sealed record GeoPosition(double Lon, double Lat);

/// <summary>Reservkraft: whether the point has backup power and how long its fuel lasts.</summary>
public sealed record BackupPower(bool Available, double FuelHours);

/// <summary>What a trygghetspunkt has to work with.</summary>
public sealed record SafetyPointResources(BackupPower BackupPower, int WaterLitres, int Staff, int FrgVolunteers, int Radios)
{
    public static SafetyPointResources None(bool backupPower) => new(new BackupPower(backupPower, 0), 0, 0, 0, 0);
}

/// <summary>A trygghetspunkt: a place where residents get information, power, heat and water in a long disruption.</summary>
/// <param name="ReferredTo">While closing or closed after having visitors: where they were referred.</param>
public sealed record SafetyPointState(
    string District,
    string Name,
    string Address,
    GeoPosition Position,
    int Tier,
    int Capacity,
    SafetyPointStatus Status,
    string? Limitations,
    ImmutableSortedDictionary<Capability, CapabilityState> Capabilities,
    SafetyPointResources Resources,
    int Visitors,
    bool Example,
    ResidentInfo? ResidentInfo = null,
    SafetyPointCondition? Condition = null,
    string? ReferredTo = null)
{
    // A point stored before residents' texts existed reads back with none.
    public ResidentInfo ResidentInfo { get; init; } = ResidentInfo ?? ResidentInfo.None;

    // A point stored before its condition was reported status by status reads back with none reported.
    public SafetyPointCondition Condition { get; init; } = Condition ?? SafetyPointCondition.None;
}
