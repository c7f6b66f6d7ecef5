using Lagesbild.Domain.Picture;
using Lagesbild.Geo;

namespace Lagesbild.Grains.Tests;

/// <summary>The city's real district areas (maps/districts.geojson), as the rules see them.</summary>
public sealed class MapAreas : IAreas
{
    public static readonly MapAreas Stockholm = new(DistrictAreas.Load(Path.Combine(AppContext.BaseDirectory, "maps", "districts.geojson")));

    private readonly DistrictAreas _areas;
    private readonly HashSet<string> _ids;

    private MapAreas(DistrictAreas areas)
    {
        _areas = areas;
        _ids = [.. areas.Ids];
    }

    public bool DistrictExists(string districtId) => _ids.Contains(districtId);

    public bool Contains(string districtId, double lon, double lat) => DistrictExists(districtId) && _areas.Contains(districtId, lon, lat);
}
