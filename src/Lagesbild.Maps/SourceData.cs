using Lagesbild.Geo;
using NetTopologySuite.Features;

namespace Lagesbild.Maps;

/// <summary>
/// The city's open data the map files derive from. It lives outside the repository (../shared/data,
/// see its README.md) and is never copied in.
/// </summary>
public sealed record SourceData(
    FeatureCollection Stadsdelar,
    IReadOnlyDictionary<string, string> DistrictByStadsdel,
    FeatureCollection Water)
{
    public const string StadsdelarFile = "stockholm-stadsdelar.geo.json";
    public const string MappingFile = "stadsdel-till-stadsdelsomrade.csv";
    public const string WaterFile = "stockholm-vatten.geo.json";

    public static SourceData Load(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"No data folder at {directory}; pass --data <dir>.");
        }

        using var mapping = File.OpenText(Path.Combine(directory, MappingFile));
        return new SourceData(
            GeoJson.Read(Path.Combine(directory, StadsdelarFile)),
            StadsdelMapping.Parse(mapping),
            GeoJson.Read(Path.Combine(directory, WaterFile)));
    }
}
