using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Browser.Tests;

/// <summary>What a freshly seeded server shows: the demo trygghetspunkter from maps/demo.</summary>
public static class DemoPicture
{
    public const int DistrictCount = 11;

    /// <summary>The status names the page shows in Swedish, its default language.</summary>
    public static readonly IReadOnlyDictionary<string, string> StatusNames = new Dictionary<string, string>
    {
        ["Inactive"] = "Vilande",
        ["Activating"] = "Aktiveras",
        ["Open"] = "Öppen",
        ["Limited"] = "Öppen med begränsningar",
        ["Closing"] = "Stängs",
        ["Closed"] = "Stängd",
    };

    public static IReadOnlyList<(string Id, string Name)> Points { get; } = ReadPoints();

    /// <summary>Every trygghetspunkt's status as the server has it now.</summary>
    public static async Task<Dictionary<string, string>> StatusesAsync(HttpClient http)
    {
        var snapshot = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
        return snapshot.GetProperty("entities").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "SafetyPoint")
            .ToDictionary(e => e.GetProperty("id").GetString()!, e => e.GetProperty("state").GetProperty("status").GetString()!);
    }

    private static List<(string, string)> ReadPoints()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "maps", "demo", "safety-points.json")));
        return json.RootElement.GetProperty("safetyPoints").EnumerateArray()
            .Select(p => (p.GetProperty("id").GetString()!, p.GetProperty("name").GetString()!))
            .ToList();
    }
}
