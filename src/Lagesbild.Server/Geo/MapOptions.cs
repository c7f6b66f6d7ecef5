using Lagesbild.Domain.Picture;
using Lagesbild.Geo;

namespace Lagesbild.Server.Geo;

/// <summary>Where the city's map and configuration are, and the optional base map.</summary>
public sealed class MapOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Lagesbild:Map";

    /// <summary>The maps/ folder: district areas, water, sectors, crisis bodies, demo points.</summary>
    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "maps");

    /// <summary>An optional tile or WMS base map; none by default, so the map works with no internet.</summary>
    public Basemap? Basemap { get; set; }

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (!File.Exists(Path.Combine(Directory, "districts.geojson")))
        {
            yield return new(
                $"Kartmappen '{Path.GetFullPath(Directory)}' saknar districts.geojson (gör den med dotnet run --project src/Lagesbild.Maps).",
                [nameof(Directory)]);
        }
        if (Basemap is { Type: not ("xyz" or "wms") })
            yield return new($"Baskartans typ måste vara \"xyz\" eller \"wms\", inte \"{Basemap.Type}\".", [nameof(Basemap)]);
    }
}

/// <summary>A base map layer: an XYZ tile URL template or a WMS service.</summary>
public sealed record Basemap(string Type, string Url, string? Layers, string? Attribution);

/// <summary>The districts' areas, as the domain's rules see them.</summary>
public sealed class Areas(DistrictAreas areas) : IAreas
{
    private readonly HashSet<string> _ids = [.. areas.Ids];

    public DistrictAreas Map => areas;

    public bool DistrictExists(string districtId) => _ids.Contains(districtId);

    public bool Contains(string districtId, double lon, double lat) => DistrictExists(districtId) && areas.Contains(districtId, lon, lat);
}
