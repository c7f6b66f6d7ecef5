using System.Globalization;
using System.Text;
using Lagesbild.Geo;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Union;

namespace Lagesbild.Maps;

/// <summary>The derived map layers and the exact text written for them to maps/.</summary>
public sealed record DerivedMaps(
    IReadOnlyList<DistrictArea> Districts,
    MultiPolygon Water,
    string DistrictsGeoJson,
    string WaterGeoJson)
{
    public const string DistrictsFile = "districts.geojson";
    public const string WaterFile = "water.geojson";

    public static DerivedMaps Derive(SourceData source, AreaBuilder builder)
    {
        var districts = builder.BuildDistricts(source.Stadsdelar, source.DistrictByStadsdel);
        var water = builder.BuildWater(source.Water);
        return new DerivedMaps(districts, water, GeoJson.WriteDistricts(districts), GeoJson.WriteWater(water));
    }

    public void WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, DistrictsFile), DistrictsGeoJson);
        File.WriteAllText(Path.Combine(directory, WaterFile), WaterGeoJson);
    }

    /// <summary>Coordinates per layer and file sizes, one line each, for the console.</summary>
    public string Summary()
    {
        var lines = Districts
            .Select(d => Line(d.Id, d.Geometry))
            .Append(Line("water", Water))
            .Append(string.Create(CultureInfo.InvariantCulture,
                $"{DistrictsFile}: {Encoding.UTF8.GetByteCount(DistrictsGeoJson):N0} bytes, {WaterFile}: {Encoding.UTF8.GetByteCount(WaterGeoJson):N0} bytes"));
        return string.Join(Environment.NewLine, lines);

        static string Line(string name, MultiPolygon geometry) => string.Create(CultureInfo.InvariantCulture,
            $"{name,-22} {geometry.NumGeometries,3} polygon(s) {geometry.NumPoints,5:N0} coordinates");
    }

    /// <summary>Square metres where two simplified areas overlap, and of the gaps enclosed between them.</summary>
    public (double Overlap, double Gaps) BorderMismatch()
    {
        var overlap = 0.0;
        for (var i = 0; i < Districts.Count; i++)
        {
            for (var j = i + 1; j < Districts.Count; j++)
            {
                overlap += AreaBuilder.ApproximateSquareMetres(Districts[i].Geometry.Intersection(Districts[j].Geometry));
            }
        }

        var city = UnaryUnionOp.Union(Districts.Select(d => (Geometry)d.Geometry));
        var gaps = PolygonExtracter.GetPolygons(city)
            .Cast<Polygon>()
            .SelectMany(p => p.Holes)
            .Sum(hole => AreaBuilder.ApproximateSquareMetres(hole.Factory.CreatePolygon(hole)));
        return (overlap, gaps);
    }
}
