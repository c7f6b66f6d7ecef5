using System.Diagnostics;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>The benchmark command runs (a few seconds, few clients) so it cannot rot; no time is asserted.</summary>
public sealed class BenchmarkSmokeTests
{
    [Fact]
    public async Task The_benchmark_smoke_run_delivers_every_change_once_and_in_order()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(RepoPaths.Root, "src", "Lagesbild.Bench", "bin", configuration, "net10.0", "Lagesbild.Bench.dll");
        var info = new ProcessStartInfo("dotnet", [dll, "--scenario", "smoke", "--json", Path.Combine(Path.GetTempPath(), $"bench-smoke-{Guid.NewGuid():N}.json")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var bench = Process.Start(info)!;
        var output = bench.StandardOutput.ReadToEndAsync();
        var errors = bench.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await bench.WaitForExitAsync(timeout.Token);
        Assert.True(bench.ExitCode == 0, await output + await errors);
    }
}
