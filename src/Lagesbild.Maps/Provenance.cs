using System.Globalization;
using System.Text;
using Lagesbild.Geo;

namespace Lagesbild.Maps;

/// <summary>
/// Writes maps/PROVENANCE.md: where the map files come from, how they were made and what they cannot
/// tell. Generated so that the numbers in it always match the files beside it.
/// </summary>
public static class Provenance
{
    public const string File = "PROVENANCE.md";

    public static string Render(SourceData source, AreaBuilder builder, DerivedMaps maps, DemoData demo)
    {
        var stadsdelarPerDistrict = source.DistrictByStadsdel.Values
            .GroupBy(AreaBuilder.IdFor)
            .ToDictionary(g => g.Key, g => g.Count());
        var (overlap, gaps) = maps.BorderMismatch();
        var real = demo.SafetyPoints.Where(p => !p.Example).ToList();

        var text = new StringBuilder();
        Line(text, $"""
            # Provenance of the map files

            `districts.geojson`, `water.geojson` and this file are generated. From the repository root:

            ```
            {MapsOptions.Command}
            ```

            Do not edit them by hand: change the inputs or `src/Lagesbild.Maps` / `src/Lagesbild.Geo` and run
            the command again. The same inputs give byte-identical files, and `tests/Lagesbild.Geo.Tests`
            fails when the committed `districts.geojson` differs from what the code derives now.

            ## Inputs

            Read from `../shared/data` (see its README.md); they are not copied into this repository.

            | file | what | source and licence |
            |---|---|---|
            | `{SourceData.StadsdelarFile}` | the city's {source.Stadsdelar.Count} stadsdelar, polygons, WGS 84 | Stockholms stad open data, dataset "Stadskarta" (2021-04-13), CC0 1.0, via a public mirror |
            | `{SourceData.WaterFile}` | water areas (lakes, sea) within the city, WGS 84 | same |
            | `{SourceData.MappingFile}` | each stadsdel → its stadsdelsområde (the 11 in force since 1 July 2023) | compiled from the city's published lists of each stadsdelsområde |

            ## Method (NetTopologySuite)

            1. Each stadsdel is assigned to its stadsdelsområde by the CSV, and the stadsdelar of each area are
               unioned (`UnaryUnionOp`, a cascaded union).
            2. Holes and separate parts smaller than {builder.MinimumSquareMetres:N0} m² are dropped. They are the
               slivers the source leaves between its independently simplified stadsdelar (the largest is about
               1,000 m²), not real enclaves.
            3. Simplified with `TopologyPreservingSimplifier`, tolerance {builder.ToleranceDegrees}° (about
               {Metres(builder.ToleranceDegrees, north: true)} m north–south and {Metres(builder.ToleranceDegrees, north: false)} m east–west at Stockholm's latitude).
            4. Rounded to 6 decimals (about 0.1 m) with `GeometryPrecisionReducer`, which snap-rounds and keeps
               polygons valid; then checked with `IsValid` (a `GeometryFixer` pass would run only if that failed).
            5. Written as RFC 7946 GeoJSON: WGS 84 lon/lat, exterior rings counter-clockwise, one feature per
               line. Every area is a MultiPolygon with properties `id` (an ASCII slug of the name) and `name`
               (Swedish, exactly as in the CSV).

            The water layer goes through steps 2–5 as one MultiPolygon with property `kind` = `water`; ponds
            and islets under the same threshold are dropped. It already lies within the districts' envelope,
            so it is not clipped.

            ## Output

            | file | size |
            |---|---|
            | `{DerivedMaps.DistrictsFile}` | {Size(maps.DistrictsGeoJson)} |
            | `{DerivedMaps.WaterFile}` | {Size(maps.WaterGeoJson)} ({maps.Water.NumGeometries} polygons, {maps.Water.NumPoints:N0} coordinates) |

            | id | name | stadsdelar | polygons | holes | coordinates |
            |---|---|---|---|---|---|
            """);
        foreach (var area in maps.Districts)
        {
            var holes = Enumerable.Range(0, area.Geometry.NumGeometries)
                .Sum(i => ((NetTopologySuite.Geometries.Polygon)area.Geometry.GetGeometryN(i)).NumInteriorRings);
            Line(text, $"| {area.Id} | {area.Name} | {stadsdelarPerDistrict[area.Id]} | {area.Geometry.NumGeometries} | {holes} | {area.Geometry.NumPoints:N0} |");
        }

        Line(text, $"""

            ## Known limits

            - The areas are the union of whole stadsdelar, an approximation and not the legal border. A few
              area borders cut through stadsdelar: Årsta holmar and a small part of Björkhagen lie in
              Södermalm's area, Blåsut in Enskede-Årsta-Vantör's; here each follows its stadsdel instead.
            - The source's stadsdelar do not share exact borders, and each area is simplified on its own, so
              neighbouring areas overlap in thin slivers (about {overlap:N0} m² in all) and leave thin gaps
              (about {gaps:N0} m² enclosed). Both are metres wide, invisible at city zoom; a position in an
              overlap resolves to the first area in id order.
            - The source data is from 2021-04-13 and already simplified; it is not survey-grade.

            ## Configuration and demo data

            `config/sectors.json`, `config/crisis-bodies.json` and `demo/safety-points.json` are written by hand
            and checked by the same command: unique ids, known kinds and capabilities, tier 1–3 (OvernightStay
            exactly at tier 3), capacity 20–400, {DemoDataCheck.MinPointsPerDistrict}–{DemoDataCheck.MaxPointsPerDistrict} safety points per district, and every point inside its own
            district's derived area.

            - Sectors: the ten national beredskapssektorer. Names and leads the city's security programme 2024
              gives are used as they are (`"leadIsExample": false`); where the lead body is not public, a
              plausible city body is named and marked `"leadIsExample": true`.
            - Safety points: {demo.SafetyPoints.Count} in all. {real.Count} are real, named in the press (per domain.md) and marked
              `"example": false`; the other {demo.SafetyPoints.Count - real.Count} are invented examples at plausible public buildings,
              marked `"example": true` — they are not the city's points. Capacities, tiers, capabilities and
              backup power of the real points are our assumptions too, except the diesel generator ordered for
              Skärholmen's district office.
            - Positions of the real points are our estimates from the published place or address, not surveyed.
              Tellus fritidscenter has no address in the source: its position is a rough placeholder on
              Södermalm. No real point had to be moved to fall inside its district's area.

            Real points:

            | id | district | name | address |
            |---|---|---|---|
            """);
        foreach (var point in real)
        {
            Line(text, $"| {point.Id} | {point.District} | {point.Name} | {point.Address} |");
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, FormattableString line) =>
        text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static string Size(string content) =>
        string.Create(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetByteCount(content):N0} bytes");

    private static string Metres(double degrees, bool north) =>
        (degrees * (north ? AreaBuilder.MetresPerDegreeLatitude : AreaBuilder.MetresPerDegreeLongitude)).ToString("0.#", CultureInfo.InvariantCulture);
}
