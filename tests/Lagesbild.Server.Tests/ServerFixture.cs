using Lagesbild.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lagesbild.Server.Tests;

/// <summary>One real server with the embedded store for a test class.</summary>
public sealed class ServerFixture() : RunningServer(new Dictionary<string, string>
{
    // Small enough that a test can miss "too much" with a few dozen changes.
    ["Lagesbild:Live:MaxCatchUpEntries"] = "20",
})
{
    /// <summary>Reports resources with a given amount of water: always accepted, so good for a stream of changes.</summary>
    public Task<long> ReportWaterAsync(string point, int litres, string picture = "live") => Http.ReportWaterAsync(point, litres, picture);
}
