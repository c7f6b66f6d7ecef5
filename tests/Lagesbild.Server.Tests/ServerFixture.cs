using Lagesbild.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lagesbild.Server.Tests;

/// <summary>One real server with the embedded store for a test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; } = new(settings: new Dictionary<string, string>
    {
        // Small enough that a test can miss "too much" with a few dozen changes.
        ["Lagesbild:Live:MaxCatchUpEntries"] = "20",
    });

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        Http = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Reports resources with a given amount of water: always accepted, so good for a stream of changes.</summary>
    public async Task<long> ReportWaterAsync(string point, int litres, string picture = "live")
    {
        var response = await Http.SendJsonAsync("PUT", $"api/pictures/{picture}/safety-points/{point}/resources",
            $$"""{"backupPower":{"available":true,"fuelHours":12},"waterLitres":{{litres}},"staff":4,"frgVolunteers":2,"radios":1}""");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("seq").GetInt64();
    }
}
