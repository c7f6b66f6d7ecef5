using System.Net;
using Lagesbild.Bench.Clients;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>One load run: N clients, R changes per second for S seconds, some of the clients stalled.</summary>
public sealed record LoadSpec(string Scenario, string Label, int Clients, double Rate, double Seconds, int Stalled = 0)
{
    public int Changes => Math.Max(1, (int)Math.Round(Rate * Seconds));
    /// <summary>A probe client in the driver's process, to see what the loaded clients' process adds to latency.</summary>
    public bool Probe => Clients >= 100;
}

/// <summary>
/// Runs a <see cref="LoadSpec"/>: starts a fresh server, the clients' process and (for large N)
/// a probe client in this process, drives the changes, and measures deliveries, CPU and memory.
/// </summary>
public static class LoadRun
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    public static async Task<LoadResult> RunAsync(LoadSpec spec, BenchOptions options)
    {
        Log($"{spec.Label}: {spec.Clients} clients{(spec.Stalled > 0 ? $" ({spec.Stalled} stalled)" : "")}, {spec.Rate}/s for {spec.Seconds} s ({spec.Changes} changes)");
        await using var servers = await ServerNodes.StartAsync(options.Nodes, options.Redis);
        Log($"server ready in {servers.Nodes[0].LastStartToReady.TotalSeconds:0.00} s");
        var rssIdle = await servers.SettledRssAsync(3, 300);
        var http = servers.Addresses.Select(a => new HttpClient { BaseAddress = a, Timeout = TimeSpan.FromSeconds(30) }).ToList();

        await using var fleet = FleetProcess.Start(servers.Addresses, spec.Clients, spec.Stalled, options.ClientKind);
        var ready = await fleet.ReadyAsync(TimeSpan.FromSeconds(90 + spec.Clients / 20.0));
        Log($"{ready.Connected} clients joined in {ready.ConnectSeconds:0.0} s{(ready.Failed > 0 ? $", {ready.Failed} failed: {ready.FirstError}" : "")}");

        var probe = new ClientGroup("probe");
        using var probeInvoker = HubSocketClient.InvokerFrom(IPAddress.Parse("127.0.0.10"));
        if (spec.Probe)
        {
            var client = new HubSocketClient(servers.Addresses[0], probeInvoker, probe.Latencies);
            using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await client.ConnectAsync(connecting.Token);
            probe.Clients.Add(client);
        }

        // Warm up (JIT, grain activation, pools) with a few unmeasured changes, then let the joins' garbage settle.
        var driver = new ChangeDriver(http);
        await driver.RunAsync(rate: 20, count: 20, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var rssConnected = await servers.SettledRssAsync(3, 300);
        var (startSeq, _) = await http[0].DigestAsync();

        await fleet.StartWindowAsync(startSeq);
        probe.StartWindow(startSeq);
        await using var window = new CpuWindow(new Dictionary<string, int[]>
        {
            ["server"] = servers.Pids,
            ["clients"] = [fleet.Pid],
            ["driver"] = [Environment.ProcessId],
        });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(spec.Seconds * 3 + 30));
        var drive = await driver.RunAsync(spec.Rate, spec.Changes, limit.Token);
        var usage = await window.EndAsync();
        if (drive.FirstRefusal is not null)
            Log($"{drive.Refused} changes refused, first: {drive.FirstRefusal}");

        var finalSeq = Math.Max(drive.LastSeq, startSeq);
        var result = await fleet.FinishAsync(finalSeq, Drain);
        var probeDrain = await probe.DrainAsync(finalSeq, TimeSpan.FromSeconds(5));
        var probeResult = spec.Probe ? probe.Result(finalSeq, probeDrain) : null;
        var rssEnd = servers.Rss;
        foreach (var client in probe.Clients)
            await client.DisposeAsync();
        foreach (var client in http)
            client.Dispose();

        var normal = result.Normal;
        const double Mb = 1024 * 1024;
        return new LoadResult(
            spec.Scenario, spec.Label, spec.Clients, spec.Stalled, options.Nodes, servers.Store, options.ClientKind.ToString().ToLowerInvariant(),
            spec.Rate, spec.Seconds, ready.Connected, ready.Failed, ready.ConnectSeconds,
            drive, normal, normal.Latency(), result.Stalled, result.Stalled?.Latency(), probeResult?.Latency(),
            usage.CpuPercent["server"], usage.CpuPercent["clients"], usage.CpuPercent["driver"], usage.MachineBusyPercent,
            rssIdle / Mb, rssConnected / Mb, usage.PeakRss["server"] / Mb, rssEnd / Mb, usage.PeakRss["clients"] / Mb,
            normal.Deliveries == 0 || options.ClientKind == ClientKind.Hub ? double.NaN : (double)normal.Bytes / normal.Deliveries,
            normal.Deliveries / usage.Seconds,
            servers.Nodes[0].LastStartToReady.TotalSeconds);
    }

    private static void Log(string line) => Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} {line}");
}

/// <summary>Everything one load run measured. Latencies in ms, CPU in % of one core, memory in MB.</summary>
public sealed record LoadResult(
    string Scenario,
    string Label,
    int Clients,
    int Stalled,
    int Nodes,
    string Store,
    string Client,
    double Rate,
    double Seconds,
    int Connected,
    int ConnectFailed,
    double ConnectSeconds,
    DriveResult Drive,
    GroupResult NormalClients,
    LatencySummary Latency,
    GroupResult? StalledClients,
    LatencySummary? StalledLatency,
    LatencySummary? ProbeLatency,
    double ServerCpuPercent,
    double ClientsCpuPercent,
    double DriverCpuPercent,
    double MachineBusyPercent,
    double ServerRssIdleMb,
    double ServerRssConnectedMb,
    double ServerRssPeakMb,
    double ServerRssEndMb,
    double ClientsRssPeakMb,
    double BytesPerDelivery,
    double DeliveriesPerSecond,
    double StartToReadySeconds)
{
    public long Lost => NormalClients.Lost;
    public long Disorder => NormalClients.Duplicates + NormalClients.Gaps;
}
