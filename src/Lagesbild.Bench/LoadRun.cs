using System.Net;
using Lagesbild.Bench.Clients;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>One load run: N clients, R changes per second for S seconds, some of the clients stalled.</summary>
/// <param name="PublicRate">Residents' requests per second held constant (h2load); 0 = as many as the machine answers (wrk).</param>
public sealed record LoadSpec(string Scenario, string Label, int Clients, double Rate, double Seconds, int Stalled = 0, bool Sequential = false, int PublicConnections = 0, double PublicRate = 0)
{
    /// <summary>With <see cref="Sequential"/>: how many writers send at once, each waiting for the answer to its last change.</summary>
    public int Writers { get; init; } = 1;

    /// <summary>The changes are the steps of uppdrag between central and a district (<see cref="ChangeDriver"/>), not reports.</summary>
    public bool TaskSteps { get; init; }

    /// <summary>Against the frame-once floor (src/Lagesbild.Bench.Floor) instead of Lagesbild: the same driver, clients and measurement.</summary>
    public bool Floor { get; init; }

    /// <summary>A check (the smoke run) rather than a measurement: no long warm-up, no waiting for a quiet machine.</summary>
    public bool IsCheck => Scenario == "smoke";

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
    private const int WarmUpChanges = 300;

    public static async Task<LoadResult> RunAsync(LoadSpec spec, BenchOptions options)
    {
        Log($"{spec.Label}: {spec.Clients} clients{(spec.Stalled > 0 ? $" ({spec.Stalled} stalled)" : "")}, {spec.Rate}/s for {spec.Seconds} s ({spec.Changes} changes)");
        await using var servers = spec.Floor
            ? await ServerNodes.StartFloorAsync()
            : await ServerNodes.StartAsync(options.Nodes, options.Redis, options.ServerAssembly);
        Log($"server ready in {servers.Nodes[0].LastStartToReady.TotalSeconds:0.00} s");
        var fileLimit = ProcessMeter.FileDescriptorLimit(servers.Pids[0]);
        if (fileLimit >= 0 && spec.Clients + 1024 > fileLimit)
            Log($"warning: the server may open only {fileLimit} files, too few for {spec.Clients} connections; raise `ulimit -n`");
        var http = servers.CreateClients();

        // A fresh server spends its first half minute compiling (tiered JIT). Warm the change
        // path up before anyone connects, and let the background compiler finish.
        if (!spec.IsCheck)
        {
            await new ChangeDriver(http).RunAsync(rate: 50, count: WarmUpChanges, sequential: true, CancellationToken.None);
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        // Residents see only points in operation: with all of them open the public list is as long as it gets.
        if (spec.Scenario == "public")
        {
            foreach (var point in ChangeDriver.DemoPoints.Value)
                await http[0].EnsureActivatedAsync(point);
            using var anonymous = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = servers.Addresses[0] };
            using var asked = new HttpRequestMessage(HttpMethod.Get, PublicLoad.Path.TrimStart('/'));
            asked.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, deflate, br");
            using var list = await anonymous.SendAsync(asked);
            Log($"public list: {ChangeDriver.DemoPoints.Value.Length} points open, {(await list.Content.ReadAsByteArrayAsync()).Length} B as sent ({string.Join(",", list.Content.Headers.ContentEncoding)})");
        }
        var rssIdle = await servers.SettledRssAsync(3, 300);

        // Uppdrag steps are measured to the page of the district they are given to.
        await using var fleet = FleetProcess.Start(servers.Addresses, spec.TaskSteps ? servers.TokenOf(ServerNodes.Receiver) : servers.Token, spec.Clients, spec.Stalled, options);
        var ready = await fleet.ReadyAsync(TimeSpan.FromSeconds(90 + spec.Clients / 20.0));
        Log($"{ready.Connected} clients joined in {ready.ConnectSeconds:0.0} s{(ready.Failed > 0 ? $", {ready.Failed} failed: {ready.FirstError}" : "")}");

        var probe = new ClientGroup("probe");
        if (spec.Probe)
        {
            var client = new HubSocketClient(servers.Addresses[0], servers.Token, new RawWebSocketTransport(IPAddress.Parse("127.0.0.10")), probe.Latencies);
            using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await client.ConnectAsync(connecting.Token);
            probe.Clients.Add(client);
        }

        // Then the delivery path, and let the joins' garbage settle. The warm-up above ran with
        // nobody connected, so the code that hands a change to a connection first runs here, and
        // tiered compilation recompiles it after 30 calls and again after 30 more, on a thread that
        // takes one of the two cores for a second or more. With 20 changes here that fell into the
        // measured window: many of `one`'s first hundred changes waited 5-30 ms behind it (issue 21
        // item 3, BENCHMARKS.md H40). Three seconds at the scenario's rate (at most 100/s) carry the
        // delivery path through both recompilations before the window opens.
        var deliveryWarmUp = spec.IsCheck ? (Rate: Math.Min(spec.Rate, 20), Count: 20) : (Rate: Math.Min(spec.Rate, 100), Count: Math.Max(20, (int)(Math.Min(spec.Rate, 100) * 3)));
        await new ChangeDriver(http).RunAsync(rate: deliveryWarmUp.Rate, count: deliveryWarmUp.Count, sequential: true, CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var rssConnected = await servers.SettledRssAsync(3, 300);
        var (startSeq, _) = await http[0].DigestAsync();
        var quiet = spec.IsCheck ? 0 : await WaitForQuietAsync(TimeSpan.FromSeconds(90));

        await fleet.StartWindowAsync(startSeq);
        probe.StartWindow(startSeq);
        await using var residents = spec.PublicConnections > 0 ? PublicLoad.Start(servers.Addresses[0], spec.PublicConnections, spec.PublicRate, spec.Seconds, Log) : null;
        await using var window = new CpuWindow(new Dictionary<string, int[]>
        {
            ["server"] = servers.Pids,
            ["clients"] = [fleet.Pid],
            ["driver"] = [Environment.ProcessId],
            ["public"] = residents is null ? [] : [residents.Pid],
        });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(spec.Seconds * 3 + 30));
        var receivers = spec.TaskSteps ? servers.CreateClients(ServerNodes.Receiver) : null;
        var drive = await new ChangeDriver(http, receivers).RunAsync(spec.Rate, spec.Changes, spec.Sequential, limit.Token, spec.Writers);
        // The window ends first: wrk runs as long as the drive, and its CPU can only be read while it runs.
        var usage = await window.EndAsync();
        var publicLoad = residents is null ? null : await residents.FinishAsync();
        if (drive.FirstRefusal is not null)
            Log($"{drive.Refused} changes refused, first: {drive.FirstRefusal}");

        var finalSeq = Math.Max(drive.LastSeq, startSeq);
        var result = await fleet.FinishAsync(finalSeq, Drain);
        var probeDrain = await probe.DrainAsync(finalSeq, TimeSpan.FromSeconds(5));
        var probeResult = spec.Probe ? probe.Result(finalSeq, probeDrain) : null;
        var rssEnd = servers.Rss;
        foreach (var client in probe.Clients)
            await client.DisposeAsync();
        foreach (var client in http.Concat(receivers ?? []))
            client.Dispose();

        var normal = result.Normal;
        const double Mb = 1024 * 1024;
        return new LoadResult(
            spec.Scenario, spec.Label, spec.Clients, spec.Stalled, options.Nodes, servers.Store, options.ClientKind.ToString().ToLowerInvariant(),
            spec.Rate, spec.Seconds, ready.Connected, ready.Failed, ready.ConnectSeconds,
            drive, normal, normal.Latency(), result.Stalled, result.Stalled?.Latency(), probeResult?.Latency(),
            usage.CpuPercent["server"], usage.KernelCpuPercent["server"], usage.CpuPercent["clients"], usage.CpuPercent["driver"], usage.MachineBusyPercent,
            rssIdle / Mb, rssConnected / Mb, usage.PeakRss["server"] / Mb, rssEnd / Mb, usage.PeakRss["clients"] / Mb,
            normal.Deliveries == 0 || options.ClientKind == ClientKind.Hub ? double.NaN : (double)normal.Bytes / normal.Deliveries,
            normal.Deliveries / usage.Seconds,
            servers.Nodes[0].LastStartToReady.TotalSeconds,
            quiet,
            publicLoad,
            residents is null ? 0 : usage.CpuPercent["public"]);
    }

    /// <summary>
    /// This machine is shared: waits (up to <paramref name="atMost"/>) for a second in which
    /// the whole machine is less than 40 % of one core busy, so a build next door does not
    /// land in the measurement. Returns how long it waited, or null when it never got quiet.
    /// </summary>
    private static async Task<double?> WaitForQuietAsync(TimeSpan atMost)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < atMost)
        {
            var before = ProcessMeter.MachineCpu();
            await Task.Delay(1000);
            var after = ProcessMeter.MachineCpu();
            var busy = (after.Busy - before.Busy) / (after.Total - before.Total) * Environment.ProcessorCount * 100;
            if (busy < 40)
                return waited.Elapsed.TotalSeconds;
        }
        Log($"the machine did not get quiet in {atMost.TotalSeconds:0} s; measuring anyway");
        return null;
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
    double ServerKernelCpuPercent,
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
    double StartToReadySeconds,
    double? WaitedForQuietSeconds,
    PublicLoadResult? Public = null,
    double PublicLoadCpuPercent = 0)
{
    public long Lost => NormalClients.Lost;
    public long Disorder => NormalClients.Duplicates + NormalClients.Gaps;
    /// <summary>Server CPU time per delivery to a client, in µs: what one more connection costs per change.</summary>
    public double ServerCpuMicrosPerDelivery => DeliveriesPerSecond == 0 ? double.NaN : ServerCpuPercent / 100 / DeliveriesPerSecond * 1e6;
    /// <summary>CPU the machine spent on processes other than the server, the clients and the driver.</summary>
    public double OtherCpuPercent => Math.Max(0, MachineBusyPercent - ServerCpuPercent - ClientsCpuPercent - DriverCpuPercent - PublicLoadCpuPercent);
}
