using System.Text.Json;

namespace Lagesbild.Maps;

/// <summary>The hand-written configuration (maps/config) and demo data (maps/demo) that sit beside the map files.</summary>
public sealed record DemoData(
    IReadOnlyList<SectorEntry> Sectors,
    IReadOnlyList<CrisisBodyEntry> CrisisBodies,
    IReadOnlyList<SafetyPointEntry> SafetyPoints)
{
    public static readonly string SectorsFile = Path.Combine("config", "sectors.json");
    public static readonly string CrisisBodiesFile = Path.Combine("config", "crisis-bodies.json");
    public static readonly string SafetyPointsFile = Path.Combine("demo", "safety-points.json");

    // A missing or null field is an error in hand-written data, not a default.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static DemoData Load(string mapsDirectory) => new(
        Read<SectorsDocument>(mapsDirectory, SectorsFile).Sectors,
        Read<CrisisBodiesDocument>(mapsDirectory, CrisisBodiesFile).CrisisBodies,
        Read<SafetyPointsDocument>(mapsDirectory, SafetyPointsFile).SafetyPoints);

    private static T Read<T>(string mapsDirectory, string file)
    {
        var path = Path.Combine(mapsDirectory, file);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new InvalidDataException($"{path} is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private sealed record SectorsDocument(IReadOnlyList<SectorEntry> Sectors);

    private sealed record CrisisBodiesDocument(IReadOnlyList<CrisisBodyEntry> CrisisBodies);

    private sealed record SafetyPointsDocument(IReadOnlyList<SafetyPointEntry> SafetyPoints);
}

/// <summary>A beredskapssektor in the city's sektorsorganisation and the body that leads it.</summary>
/// <param name="LeadIsExample">True where the lead body is not public and the file names a plausible one.</param>
public sealed record SectorEntry(string Id, string Name, string LeadBody, bool LeadIsExample);

/// <summary>A krisledningsorgan; District is set only for a district's local crisis management.</summary>
public sealed record CrisisBodyEntry(string Id, string Name, string Kind, string? District);

/// <summary>A trygghetspunkt in the demo data; Example marks one we invented.</summary>
public sealed record SafetyPointEntry(
    string Id,
    string District,
    string Name,
    string Address,
    LonLat Position,
    int Tier,
    int Capacity,
    IReadOnlyList<string> Capabilities,
    bool BackupPower,
    bool Example,
    string Source);

/// <summary>A WGS 84 position, RFC 7946 order.</summary>
public sealed record LonLat(double Lon, double Lat);
