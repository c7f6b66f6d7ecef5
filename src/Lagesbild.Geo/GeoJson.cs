using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace Lagesbild.Geo;

/// <summary>Reads GeoJSON and writes the RFC 7946 GeoJSON of the map files.</summary>
public static class GeoJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static FeatureCollection Read(Stream stream) =>
        JsonSerializer.Deserialize<FeatureCollection>(stream, Options)
        ?? throw new InvalidDataException("The GeoJSON document is null.");

    public static FeatureCollection Read(string path)
    {
        using var stream = File.OpenRead(path);
        try
        {
            return Read(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a GeoJSON FeatureCollection: {e.Message}", e);
        }
    }

    /// <summary>The districts file: one feature per area with properties id and name.</summary>
    public static string WriteDistricts(IEnumerable<DistrictArea> areas) =>
        Write(areas.Select(a => new Feature(a.Geometry, new AttributesTable { { "id", a.Id }, { "name", a.Name } })));

    /// <summary>The water file: a single feature with property kind = water.</summary>
    public static string WriteWater(MultiPolygon water) =>
        Write([new Feature(water, new AttributesTable { { "kind", "water" } })]);

    // One feature per line, so a change to one district shows up as a one-line diff.
    private static string Write(IEnumerable<Feature> features)
    {
        var text = new StringBuilder("{\"type\":\"FeatureCollection\",\"features\":[\n");
        text.AppendJoin(",\n", features.Select(f => JsonSerializer.Serialize(f, Options)));
        text.Append("\n]}\n");
        return text.ToString();
    }

    private static JsonSerializerOptions CreateOptions()
    {
        // Swedish names stay readable ("Södermalm", not "S\u00F6dermalm"); the files are data, never inlined into HTML.
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.Converters.Add(new GeoJsonConverterFactory(
            NtsGeometryServices.Instance.CreateGeometryFactory(4326),
            writeGeometryBBox: false,
            GeoJsonConverterFactory.DefaultIdPropertyName,
            RingOrientationOption.EnforceRfc9746));
        return options;
    }
}
