namespace Lagesbild.Domain.Picture;

/// <summary>What the rules may know beyond the entity's own state: the clock and the map.</summary>
public sealed record DecideContext(DateTimeOffset Now, IAreas Areas);

/// <summary>When the office is open, for rules that depend on it (TiB outside office hours).</summary>
public interface IOfficeHours
{
    bool IsOpen(DateTimeOffset moment);
}

/// <summary>The districts' areas of responsibility, as far as the rules need them.</summary>
public interface IAreas
{
    bool DistrictExists(string districtId);

    /// <summary>True when the position lies in the district's area of responsibility.</summary>
    bool Contains(string districtId, double lon, double lat);
}
