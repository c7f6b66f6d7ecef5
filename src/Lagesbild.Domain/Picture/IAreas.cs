namespace Lagesbild.Domain.Picture;

/// <summary>The districts' areas of responsibility, as far as the rules need them.</summary>
public interface IAreas
{
    bool DistrictExists(string districtId);

    /// <summary>True when the position lies in the district's area of responsibility.</summary>
    bool Contains(string districtId, double lon, double lat);
}
