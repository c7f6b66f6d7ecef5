using System.Globalization;
using System.Text;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Union;
using NetTopologySuite.Precision;
using NetTopologySuite.Simplify;

namespace Lagesbild.Geo;

/// <summary>
/// Derives the map's stadsdelsområde areas and water layer from the city's stadsdelar: union per area,
/// drop slivers, simplify keeping topology, round to 6 decimals, keep valid.
/// </summary>
public sealed class AreaBuilder(
    double toleranceDegrees = AreaBuilder.DefaultToleranceDegrees,
    double minimumSquareMetres = AreaBuilder.DefaultMinimumSquareMetres)
{
    /// <summary>
    /// About 11 m north–south and 5.7 m east–west in Stockholm: under a pixel at city zoom, and finer than
    /// the source, whose stadsdelar are already simplified. Districts and water together stay under 100 KB.
    /// </summary>
    public const double DefaultToleranceDegrees = 0.0001;

    /// <summary>
    /// 0.5 ha. The source's independently simplified stadsdelar leave gaps between neighbours of at most
    /// about 1 000 m², which the union turns into holes; no real enclave is anywhere near this small.
    /// On the water layer it drops ponds and islets that would not show at city zoom anyway.
    /// </summary>
    public const double DefaultMinimumSquareMetres = 5_000;

    /// <summary>Six decimals, about 0.1 m: more than the source's accuracy, and short numbers in the files.</summary>
    public static readonly PrecisionModel OutputPrecision = new(1_000_000);

    private static readonly GeometryFactory Output = new(OutputPrecision, 4326);

    // Within the city these scales are accurate to about 1 %, which is all a sliver threshold or a report needs.
    public const double MetresPerDegreeLatitude = 110_574;

    /// <summary>Metres per degree of longitude at 59.33° N, Stockholm's latitude.</summary>
    public static readonly double MetresPerDegreeLongitude = 111_320 * Math.Cos(59.33 * Math.PI / 180);

    public double ToleranceDegrees => toleranceDegrees;

    public double MinimumSquareMetres => minimumSquareMetres;

    /// <summary>One area per stadsdelsområde, ordered by id.</summary>
    /// <param name="stadsdelar">The city's stadsdelar, each a Polygon or MultiPolygon with property <c>name</c>.</param>
    /// <param name="districtByStadsdel">Stadsdel name → stadsdelsområde name, see <see cref="StadsdelMapping"/>.</param>
    public IReadOnlyList<DistrictArea> BuildDistricts(
        FeatureCollection stadsdelar, IReadOnlyDictionary<string, string> districtByStadsdel)
    {
        var named = stadsdelar.Select(f => (Name: f.Attributes?.GetOptionalValue("name") as string, f.Geometry)).ToList();
        RequireSameStadsdelar(named.Select(s => s.Name), districtByStadsdel);

        var notPolygonal = named.Where(s => s.Geometry is not (Polygon or MultiPolygon)).Select(s => s.Name).ToList();
        if (notPolygonal.Count > 0)
        {
            throw new InvalidDataException($"Stadsdelar without a polygon geometry: {string.Join(", ", notPolygonal)}.");
        }

        return named
            .GroupBy(s => districtByStadsdel[s.Name!], s => s.Geometry)
            .Select(area => new DistrictArea(IdFor(area.Key), area.Key, Derive(UnaryUnionOp.Union(area))))
            .OrderBy(a => a.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The water areas as one MultiPolygon, derived the same way as the districts.</summary>
    public MultiPolygon BuildWater(FeatureCollection water) =>
        Derive(UnaryUnionOp.Union(water.Select(f => f.Geometry)));

    /// <summary>The ASCII slug used as a district's id: "Enskede-Årsta-Vantör" → "enskede-arsta-vantor".</summary>
    public static string IdFor(string districtName)
    {
        var slug = new StringBuilder();
        // Decomposing splits å, ä, ö into a letter and a combining mark; only the letter is kept.
        foreach (var c in districtName.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD))
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (char.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        return slug.ToString().TrimEnd('-');
    }

    /// <summary>Approximate area in square metres of a lon/lat geometry inside Stockholm.</summary>
    public static double ApproximateSquareMetres(Geometry geometry) =>
        geometry.Area * MetresPerDegreeLatitude * MetresPerDegreeLongitude;

    private MultiPolygon Derive(Geometry union)
    {
        var withoutSlivers = DropSmallParts(union);
        var simplified = TopologyPreservingSimplifier.Simplify(withoutSlivers, toleranceDegrees);
        var rounded = GeometryPrecisionReducer.Reduce(simplified, OutputPrecision);
        // Reduce snap-rounds polygons and should already return valid ones; the fixer is a guard,
        // and its result is rounded again because fixing can add vertices.
        var valid = rounded.IsValid ? rounded : GeometryPrecisionReducer.Reduce(GeometryFixer.Fix(rounded), OutputPrecision);
        if (!valid.IsValid)
        {
            throw new InvalidOperationException("A derived area stays invalid after fixing; try a smaller tolerance.");
        }

        var polygons = PolygonExtracter.GetPolygons(valid).Select(p => (Polygon)Output.CreateGeometry(p)).ToArray();
        // Normalised so component and vertex order depend only on the shape: the files stay byte-stable.
        return (MultiPolygon)Output.CreateMultiPolygon(polygons).Normalized();
    }

    private Geometry DropSmallParts(Geometry geometry)
    {
        var factory = geometry.Factory;
        var kept = PolygonExtracter.GetPolygons(geometry)
            .Cast<Polygon>()
            .Where(p => IsLargeEnough(p.Shell))
            .Select(p => factory.CreatePolygon(p.Shell, [.. p.Holes.Where(IsLargeEnough)]))
            .ToArray();
        return factory.CreateMultiPolygon(kept);
    }

    private bool IsLargeEnough(LinearRing ring) =>
        ApproximateSquareMetres(ring.Factory.CreatePolygon(ring)) >= minimumSquareMetres;

    private static void RequireSameStadsdelar(IEnumerable<string?> names, IReadOnlyDictionary<string, string> districtByStadsdel)
    {
        var list = names.ToList();
        var problems = new List<string>();
        if (list.Any(n => n is null))
        {
            problems.Add("some stadsdelar have no string property \"name\"");
        }

        var present = list.OfType<string>().ToList();
        var twice = present.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var unmapped = present.Where(n => !districtByStadsdel.ContainsKey(n)).Distinct().ToList();
        var absent = districtByStadsdel.Keys.Except(present).Order(StringComparer.Ordinal).ToList();
        if (twice.Count > 0)
        {
            problems.Add($"stadsdelar drawn twice: {string.Join(", ", twice)}");
        }

        if (unmapped.Count > 0)
        {
            problems.Add($"stadsdelar missing from the mapping: {string.Join(", ", unmapped)}");
        }

        if (absent.Count > 0)
        {
            problems.Add($"mapped stadsdelar without a polygon: {string.Join(", ", absent)}");
        }

        if (problems.Count > 0)
        {
            throw new InvalidDataException($"The stadsdelar and the mapping do not match: {string.Join("; ", problems)}.");
        }
    }
}
