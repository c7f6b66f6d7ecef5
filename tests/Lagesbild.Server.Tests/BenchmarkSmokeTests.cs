using System.Diagnostics;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>The benchmark command runs (a few seconds, few clients) so it cannot rot; no time is asserted.</summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task The_benchmark_smoke_run_delivers_every_change_once_and_in_order()
    {
        await RunBenchAsync(TimeSpan.FromMinutes(3), "--scenario", "smoke");
    }

    /// <summary>
    /// The hour-long soak (issue 22) in short: 100 maps at 10 changes/s for four minutes. What
    /// leaks grows with every change and every minute, so the server's handles, threads and
    /// managed heap after a full collection at the end are held against the first minute's (the
    /// catch-up ring has filled by then), with room for the thread pool's ordinary swings and for
    /// the loggbok itself, which the embedded store keeps in memory (about 5 KB a change with its
    /// indexes: 12 MB for these 2,400). Resident memory is reported, not held: it also holds what
    /// the collector keeps committed for later, which grows and shrinks with no leak.
    /// </summary>
    [Fact]
    public async Task A_short_soak_keeps_the_servers_memory_handles_and_threads_flat_and_delivers_every_change()
    {
        var report = await RunBenchAsync(TimeSpan.FromMinutes(9), "--scenario", "soak", "--seconds", "240", "--clients", "100", "--rate", "10", "--server", "build",
            // The catch-up ring (4,096 entries a picture by default) is full after the first
            // minute, so what grows after it is what a leak grows and the store's loggbok.
            "--server-env", "Lagesbild__Live__RecentEntries=256");
        var soak = report.RootElement.GetProperty("soak");
        var samples = soak.GetProperty("samples").EnumerateArray().Select(s => (
            At: s.GetProperty("atSeconds").GetDouble(), Heap: s.GetProperty("heapMb").GetDouble(), FullCollection: s.GetProperty("fullCollection").GetBoolean(), Handles: s.GetProperty("handles").GetInt32(), Threads: s.GetProperty("threads").GetInt32())).ToList();
        Assert.True(samples.Count >= 4, $"only {samples.Count} samples");
        var (warm, end) = (samples[1], samples[^1]);

        // About 2,400 changes (the last minute's slice is cut at the four minutes).
        Assert.True(soak.GetProperty("accepted").GetInt32() >= 2_000, $"only {soak.GetProperty("accepted").GetInt32()} changes accepted");
        Assert.Equal(0, soak.GetProperty("refused").GetInt32());
        Assert.Equal(0, soak.GetProperty("lost").GetInt64());
        Assert.Equal(0, soak.GetProperty("outOfOrder").GetInt64());
        Assert.Equal(0, soak.GetProperty("closed").GetInt32());
        Assert.Equal(0, soak.GetProperty("steppedAside").GetInt32());
        Assert.True(end.Handles <= warm.Handles + Math.Max(20, warm.Handles / 20), $"handles {warm.Handles} after the first minute, {end.Handles} at the end");
        Assert.True(end.Threads <= warm.Threads + 20, $"threads {warm.Threads} after the first minute, {end.Threads} at the end");
        Assert.True(warm.FullCollection && end.FullCollection, "the soak could not ask the server for a full collection");
        Assert.True(end.Heap <= warm.Heap * 1.1 + 16, $"managed heap after a full collection {warm.Heap:0.0} MB after the first minute, {end.Heap:0.0} MB at the end");
    }

    private static async Task<JsonDocument> RunBenchAsync(TimeSpan timeLimit, params string[] arguments)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepoPaths.Root, "src", "Lagesbild.Bench", "bin", configuration, "net10.0", "Lagesbild.Bench.dll");
        var json = Path.Combine(Path.GetTempPath(), $"bench-{arguments[1]}-{Guid.NewGuid():N}.json");
        var info = new ProcessStartInfo("dotnet", [dll, .. arguments, "--json", json])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bench = Process.Start(info)!;
        var output = bench.StandardOutput.ReadToEndAsync();
        var errors = bench.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(timeLimit);
        await bench.WaitForExitAsync(timeout.Token);
        Assert.True(bench.ExitCode == 0, await output + await errors);
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        File.Delete(json);
        return report;
    }
}
