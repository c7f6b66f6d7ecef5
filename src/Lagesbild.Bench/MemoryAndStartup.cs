using Lagesbild.Bench.Clients;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>
/// Server memory per idle connection: resident memory with no one connected, then with half
/// the maps connected and joined (each got its snapshot) but no changes, then with all of them,
/// each reading taken after the connections settle. The average over all connections is the
/// verdict; it includes what the first connections cost once (pools and heap regions sized for
/// the join burst). The cost of the second half alone shows what one more connection costs.
/// </summary>
public static class IdleMemory
{
    public static async Task<IdleMemoryResult> RunAsync(int clients, BenchOptions options)
    {
        Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} idle-memory: 0, {clients / 2} and {clients} idle connections");
        await using var servers = await ServerNodes.StartAsync(options.Nodes, options.Redis, options.ServerAssembly);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var empty = await servers.SettledRssAsync();
        var half = clients / 2;
        await using var first = FleetProcess.Start(servers.Addresses, servers.Token, half, 0, options);
        var firstReady = await first.ReadyAsync(TimeSpan.FromSeconds(90 + half / 20.0));
        await Task.Delay(TimeSpan.FromSeconds(10));
        var atHalf = await servers.SettledRssAsync();
        await using var second = FleetProcess.Start(servers.Addresses, servers.Token, clients - half, 0, options);
        var secondReady = await second.ReadyAsync(TimeSpan.FromSeconds(90 + (clients - half) / 20.0));
        await Task.Delay(TimeSpan.FromSeconds(10));
        var atAll = await servers.SettledRssAsync();
        var clientsRss = ProcessMeter.Rss(first.Pid) + ProcessMeter.Rss(second.Pid);
        var connected = firstReady.Connected + secondReady.Connected;
        const double Mb = 1024 * 1024;
        static double Kb(long bytes, int connections) => bytes / 1024.0 / Math.Max(1, connections);
        return new IdleMemoryResult(connected, firstReady.Failed + secondReady.Failed, firstReady.ConnectSeconds + secondReady.ConnectSeconds,
            empty / Mb, atAll / Mb, Kb(atAll - empty, connected), Kb(clientsRss, connected),
            firstReady.Connected, atHalf / Mb, Kb(atHalf - empty, firstReady.Connected), Kb(atAll - atHalf, secondReady.Connected));
    }
}

/// <summary>
/// Server RSS (MB) with none, half and all N idle connections; what one costs the server on
/// average (the verdict) and at the margin (the second half alone), and what it costs the client (KB).
/// </summary>
public sealed record IdleMemoryResult(int Connected, int Failed, double ConnectSeconds, double ServerRssEmptyMb, double ServerRssConnectedMb, double ServerKbPerConnection, double ClientKbPerConnection,
    int ConnectedHalf, double ServerRssHalfMb, double ServerKbPerConnectionHalf, double ServerKbPerConnectionMarginal);

/// <summary>
/// Start to ready, as <see cref="ServerProcess"/> measures it (process start until /health/ready
/// answers 200): first starts on an empty data folder (which seed the picture), then restarts
/// after a graceful stop on the data the previous start left. Then, so that nothing a start
/// leaves undone hides behind "ready": how long from ready until a map has the demo picture and
/// a change to it is accepted and pushed to that map.
/// </summary>
public static class Startup
{
    public static async Task<StartupResult> RunAsync(int coldStarts, int warmStarts, BenchOptions options)
    {
        Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} startup: {coldStarts} starts on an empty folder, {warmStarts} restarts");
        var cold = new List<double>();
        var warm = new List<double>();
        var coldCpu = new List<double>();
        var warmCpu = new List<double>();
        var coldChange = new List<double>();
        var warmChange = new List<double>();
        string? dataDirectory = null;
        for (var i = 0; i < coldStarts + warmStarts; i++)
        {
            var isWarm = i >= coldStarts;
            var settings = options.Redis is null ? null : new Dictionary<string, string> { ["Lagesbild:Storage:Redis"] = options.Redis };
            await using var server = new ServerProcess(isWarm ? dataDirectory : null, settings, serverAssembly: options.ServerAssembly);
            await server.StartAsync(TimeSpan.FromSeconds(120));
            (isWarm ? warm : cold).Add(server.LastStartToReady.TotalSeconds);
            (isWarm ? warmCpu : coldCpu).Add(server.LastStartCpu.TotalSeconds);
            (isWarm ? warmChange : coldChange).Add(await FirstChangeAsync(server, ChangeDriver.DemoPoints.Value[i]));
            await server.StopAsync();
            if (dataDirectory is not null && dataDirectory != server.DataDirectory)
                Directory.Delete(dataDirectory, recursive: true);
            dataDirectory = server.DataDirectory;
        }
        if (dataDirectory is not null)
            Directory.Delete(dataDirectory, recursive: true);
        return new StartupResult(Stats(cold), Stats(warm), Stats(coldChange), Stats(warmChange), Stats(coldCpu), Stats(warmCpu));
    }

    /// <summary>
    /// Seconds from ready until a map (signed in, joined) holds every demo point and sees a change
    /// to one of them, made over HTTP, pushed. A fresh point each start: in a restart the previous
    /// start's change is in the data, so the same change would be refused.
    /// </summary>
    private static async Task<double> FirstChangeAsync(ServerProcess server, string point)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var http = server.CreateClient();
        await using var map = new LiveClient(server.BaseAddress, reconnect: false);
        await map.ConnectAsync();
        if (ChangeDriver.DemoPoints.Value.FirstOrDefault(p => map.StateOf($"SafetyPoint/{p}") is null) is { } missing)
            throw new InvalidOperationException($"Ready, but the map's first picture lacks the demo point {missing}.");
        var seq = await http.ChangeStatusAsync(point, "Activating");
        await map.WaitForSeqAsync(seq, TimeSpan.FromSeconds(30));
        return started.Elapsed.TotalSeconds;
    }

    private static StartupStats Stats(List<double> seconds)
    {
        var sorted = seconds.Order().ToArray();
        return new StartupStats(sorted.Length, sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2], sorted.FirstOrDefault(), sorted.LastOrDefault(), sorted);
    }
}

/// <param name="FirstChangeAfterFirstStart">From ready until a map has the picture and sees a change pushed (see <see cref="Startup"/>).</param>
/// <param name="FirstStartCpu">The server's CPU seconds (user and system) until ready: what a start costs, less bent by the machine's load than its wall time.</param>
public sealed record StartupResult(StartupStats FirstStart, StartupStats Restart, StartupStats FirstChangeAfterFirstStart, StartupStats FirstChangeAfterRestart, StartupStats FirstStartCpu, StartupStats RestartCpu);

public sealed record StartupStats(int Runs, double MedianSeconds, double MinSeconds, double MaxSeconds, double[] AllSeconds);
