using NetTopologySuite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace Lagesbild.Geo;

/// <summary>
/// The stadsdelsområden as drawn on the map, answering which area a WGS 84 lon/lat position lies in.
/// A position on a border counts as inside.
/// </summary>
public sealed class DistrictAreas(IEnumerable<DistrictArea> areas)
{
    private static readonly GeometryFactory Wgs84 = NtsGeometryServices.Instance.CreateGeometryFactory(4326);

    private readonly Entry[] entries = Prepare(areas);

    public static DistrictAreas Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads a districts file: a FeatureCollection whose features have string properties id and name.</summary>
    public static DistrictAreas Load(Stream geoJson) => new(GeoJson.Read(geoJson).Select(ToArea));

    public IReadOnlyList<string> Ids => [.. entries.Select(e => e.Area.Id)];

    public IReadOnlyList<DistrictArea> Areas => [.. entries.Select(e => e.Area)];

    public string Name(string districtId) => Find(districtId).Area.Name;

    /// <summary>The id of the area the position lies in, or null outside the city.</summary>
    public string? FindDistrict(double lon, double lat)
    {
        var point = Wgs84.CreatePoint(new Coordinate(lon, lat));
        return entries.FirstOrDefault(e => e.Shape.Covers(point))?.Area.Id;
    }

    public bool Contains(string districtId, double lon, double lat) =>
        Find(districtId).Shape.Covers(Wgs84.CreatePoint(new Coordinate(lon, lat)));

    // Eleven areas: a linear search is as fast as any index and keeps the class simple.
    private Entry Find(string districtId) =>
        Array.Find(entries, e => e.Area.Id == districtId)
        ?? throw new KeyNotFoundException($"No district area \"{districtId}\"; known: {string.Join(", ", Ids)}.");

    // Ordered by id: the simplified areas overlap in thin slivers along some borders, and a position
    // there must resolve to the same area every time.
    private static Entry[] Prepare(IEnumerable<DistrictArea> areas)
    {
        var ordered = areas.OrderBy(a => a.Id, StringComparer.Ordinal).ToArray();
        var duplicate = ordered.Select(a => a.Id).GroupBy(id => id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"District area \"{duplicate.Key}\" is given more than once.", nameof(areas));
        }

        return [.. ordered.Select(a => new Entry(a, PreparedGeometryFactory.Prepare(a.Geometry)))];
    }

    private static DistrictArea ToArea(IFeature feature)
    {
        var id = feature.Attributes?.GetOptionalValue("id") as string;
        var name = feature.Attributes?.GetOptionalValue("name") as string;
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(name))
        {
            throw new InvalidDataException("Every district feature needs string properties \"id\" and \"name\".");
        }

        var geometry = feature.Geometry switch
        {
            MultiPolygon multi => multi,
            Polygon single => single.Factory.CreateMultiPolygon([single]),
            var other => throw new InvalidDataException($"District \"{id}\" is a {other?.GeometryType ?? "null"}, not a (Multi)Polygon."),
        };
        return new DistrictArea(id, name, geometry);
    }

    private sealed record Entry(DistrictArea Area, IPreparedGeometry Shape);
}
