using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lagesbild.Bench.Measure;

namespace Lagesbild.Bench;

/// <summary>Everything a benchmark command measured, as printed and as written to JSON.</summary>
public sealed record BenchReport(string Machine, DateTimeOffset StartedUtc, string Command, Dictionary<string, string> ServerEnvironment)
{
    public List<LoadResult> Loads { get; } = [];
    public IdleMemoryResult? IdleMemory { get; set; }
    public StartupResult? Startup { get; set; }
    public ReplayResult? Replay { get; set; }
    public AfterActionResult? AfterAction { get; set; }
    public OverviewResult? Overview { get; set; }
    public ExportsResult? Exports { get; set; }
    public AlertsResult? Alerts { get; set; }
    public OverviewPageResult? OverviewPage { get; set; }
    public SoakResult? Soak { get; set; }
    public DiskSyncResult? DiskSync { get; set; }
    public List<Verdict> Verdicts { get; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Markdown tables: one row per load run, then stalled clients, idle memory, start-up and the targets.</summary>
    public string ToTables()
    {
        var text = new StringBuilder();
        text.AppendLine($"Machine: {Machine}");
        text.AppendLine($"Started: {StartedUtc:yyyy-MM-dd HH:mm} UTC   Command: {Command}");
        text.AppendLine("lost = accepted changes a client got neither as a delta nor inside a snapshot; out of order = duplicates + gaps; resyncs = fresh snapshots a client was sent because it fell too far behind.");
        text.AppendLine("Latency = change accepted (the delta's `at`) → client's handler ran. CPU in % of one core (200 % = the whole machine); \"others\" = machine busy minus server, clients and driver (other people's work on this shared machine).");
        if (Loads.Count > 0)
        {
            text.AppendLine();
            Row(text, "run", "N", "R/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "deliveries", "lost", "out of order", "resyncs", "server CPU %", "server RSS MB", "B/delivery", "clients CPU %", "others CPU %", "probe p99 ms");
            Row(text, [.. Enumerable.Repeat("---", 17)]);
            foreach (var run in Loads)
            {
                Row(text, run.Label, N(run.Clients), F(run.Drive.AchievedRate, "0.#"), Ms(run.Latency.P50), Ms(run.Latency.P95), Ms(run.Latency.P99), Ms(run.Latency.Max),
                    N(run.NormalClients.Deliveries), N(run.Lost), N(run.Disorder), N(run.NormalClients.Resyncs), F(run.ServerCpuPercent, "0"), F(run.ServerRssPeakMb, "0"),
                    F(run.BytesPerDelivery, "0"), F(run.ClientsCpuPercent, "0"), F(run.OtherCpuPercent, "0"), run.ProbeLatency is { } probe ? Ms(probe.P99) : "–");
            }
            text.AppendLine();
            foreach (var run in Loads)
            {
                text.AppendLine($"- {run.Label}: {N(run.Drive.Accepted)} changes accepted ({run.Drive.Refused} refused), HTTP round trip p50 {Ms(run.Drive.HttpRoundTrip.P50)} / p99 {Ms(run.Drive.HttpRoundTrip.P99)} ms; " +
                    $"{N(run.Connected)} joined in {run.ConnectSeconds:0.0} s ({run.ConnectFailed} failed); {run.DeliveriesPerSecond:0} deliveries/s, server CPU {run.ServerCpuPercent:0} % of which kernel {run.ServerKernelCpuPercent:0} % " +
                    $"= {run.ServerCpuMicrosPerDelivery:0.0} µs CPU per delivery; " +
                    $"server RSS idle {run.ServerRssIdleMb:0} → connected {run.ServerRssConnectedMb:0} → peak {run.ServerRssPeakMb:0} MB; clients' process RSS {run.ClientsRssPeakMb:0} MB, driver CPU {run.DriverCpuPercent:0} %; " +
                    $"{N(run.NormalClients.CoveredBySnapshots)} deltas replaced by resync snapshots, {run.NormalClients.Closed} clients closed, drained in {run.NormalClients.DrainSeconds:0.0} s; client: {run.Client}, store: {run.Store}, nodes: {run.Nodes}; " +
                    (run.WaitedForQuietSeconds is { } quiet ? $"waited {quiet:0} s for a quiet machine." : "the machine never got quiet."));
                if (run.StalledClients is { } stalled)
                {
                    text.AppendLine($"  - stalled clients ({stalled.Connections}): after reading again, {stalled.Closed} had been closed by the server, {stalled.Resyncs} resynced by snapshot " +
                        $"({N(stalled.CoveredBySnapshots)} entries covered), {N(stalled.Deliveries)} deltas delivered, {N(stalled.Lost)} not delivered" +
                        (stalled.CloseReasons.Length > 0 ? $"; why closed: {string.Join("; ", stalled.CloseReasons)}" : "") + ".");
                }
                if (run.Public is { } residents)
                {
                    var latency = residents.P99 is { } p99 ? $"p50 {Ms(residents.P50 ?? double.NaN)} / p99 {Ms(p99)} ms" : $"mean {Ms(residents.Mean ?? double.NaN)} / max {Ms(residents.Max ?? double.NaN)} ms";
                    text.AppendLine($"  - public load ({residents.Tool}, {PublicLoad.Path}, the whole run): {residents.RequestsPerSecond:#,0} requests/s, {latency}, " +
                        $"{N(residents.Requests)} requests, {N(residents.NonSuccess)} not 2xx/3xx, {N(residents.SocketErrors)} socket errors; {residents.Tool} CPU {run.PublicLoadCpuPercent:0} %.");
                }
                if (run.NormalClients.CloseReasons.Length > 0)
                    text.AppendLine($"  - normal clients closed: {string.Join("; ", run.NormalClients.CloseReasons)}");
            }
        }
        if (Scenarios.FloorPairs(this).ToList() is { Count: > 0 } pairs)
        {
            text.AppendLine();
            text.AppendLine("Lagesbild against the frame-once floor (src/Lagesbild.Bench.Floor: frames each change once, the same bytes to every socket, stores nothing), same load, same sitting:");
            Row(text, "maps", "floor p50 / p99 ms", "Lagesbild p50 / p99 ms", "ratio p50", "ratio p99", "floor / Lagesbild server CPU %", "floor / Lagesbild B per delivery");
            Row(text, [.. Enumerable.Repeat("---", 7)]);
            foreach (var (lagesbild, floor) in pairs)
            {
                Row(text, N(lagesbild.Clients), $"{Ms(floor.Latency.P50)} / {Ms(floor.Latency.P99)}", $"{Ms(lagesbild.Latency.P50)} / {Ms(lagesbild.Latency.P99)}",
                    F(lagesbild.Latency.P50 / floor.Latency.P50, "0.00") + "×", F(lagesbild.Latency.P99 / floor.Latency.P99, "0.00") + "×",
                    $"{F(floor.ServerCpuPercent, "0")} / {F(lagesbild.ServerCpuPercent, "0")}", $"{F(floor.BytesPerDelivery, "0")} / {F(lagesbild.BytesPerDelivery, "0")}");
            }
        }
        if (IdleMemory is { } idle)
        {
            text.AppendLine();
            Row(text, "idle connections", "server RSS empty MB", "server RSS connected MB", "server KB/connection", "client KB/connection");
            Row(text, "---", "---", "---", "---", "---");
            Row(text, N(idle.ConnectedHalf), F(idle.ServerRssEmptyMb, "0"), F(idle.ServerRssHalfMb, "0"), F(idle.ServerKbPerConnectionHalf, "0.0"), "");
            Row(text, N(idle.Connected), F(idle.ServerRssEmptyMb, "0"), F(idle.ServerRssConnectedMb, "0"), F(idle.ServerKbPerConnection, "0.0"), F(idle.ClientKbPerConnection, "0.0"));
            text.AppendLine($"  - the second {N(idle.Connected - idle.ConnectedHalf)} connections alone: {F(idle.ServerKbPerConnectionMarginal, "0.0")} KB each.");
        }
        if (Startup is { } startup)
        {
            text.AppendLine();
            Row(text, "start to ready", "runs", "median s", "min s", "max s");
            Row(text, "---", "---", "---", "---", "---");
            Row(text, "first start (empty data folder)", N(startup.FirstStart.Runs), F(startup.FirstStart.MedianSeconds, "0.00"), F(startup.FirstStart.MinSeconds, "0.00"), F(startup.FirstStart.MaxSeconds, "0.00"));
            Row(text, "restart (after graceful stop)", N(startup.Restart.Runs), F(startup.Restart.MedianSeconds, "0.00"), F(startup.Restart.MinSeconds, "0.00"), F(startup.Restart.MaxSeconds, "0.00"));
            Row(text, "server CPU until ready, first start (s)", N(startup.FirstStartCpu.Runs), F(startup.FirstStartCpu.MedianSeconds, "0.00"), F(startup.FirstStartCpu.MinSeconds, "0.00"), F(startup.FirstStartCpu.MaxSeconds, "0.00"));
            Row(text, "server CPU until ready, restart (s)", N(startup.RestartCpu.Runs), F(startup.RestartCpu.MedianSeconds, "0.00"), F(startup.RestartCpu.MinSeconds, "0.00"), F(startup.RestartCpu.MaxSeconds, "0.00"));
            Row(text, "then: a map has the picture, a change pushed (first start)", N(startup.FirstChangeAfterFirstStart.Runs), F(startup.FirstChangeAfterFirstStart.MedianSeconds, "0.00"), F(startup.FirstChangeAfterFirstStart.MinSeconds, "0.00"), F(startup.FirstChangeAfterFirstStart.MaxSeconds, "0.00"));
            Row(text, "then: the same (restart)", N(startup.FirstChangeAfterRestart.Runs), F(startup.FirstChangeAfterRestart.MedianSeconds, "0.00"), F(startup.FirstChangeAfterRestart.MinSeconds, "0.00"), F(startup.FirstChangeAfterRestart.MaxSeconds, "0.00"));
        }
        if (DiskSync is { } diskSync)
            DiskSyncRun.AppendTable(text, diskSync);
        if (Replay is { } replay)
            ReplayRun.AppendTable(text, replay);
        if (AfterAction is { } afterAction)
            AfterActionRun.AppendTable(text, afterAction);
        if (Overview is { } overview)
            OverviewRun.AppendTable(text, overview);
        if (Exports is { } exports)
            ExportsRun.AppendTable(text, exports);
        if (Alerts is { } alerts)
            AlertsRun.AppendTable(text, alerts);
        if (OverviewPage is { } overviewPage)
            OverviewPageRun.AppendTable(text, overviewPage);
        if (Soak is { } soak)
        {
            text.AppendLine();
            Row(text, "soak", "at s", "heap after full GC MB", "GC committed MB", "RSS MB", "handles", "threads");
            Row(text, "---", "---", "---", "---", "---", "---", "---");
            Row(text, "start (maps joined)", F(soak.Start.AtSeconds, "0"), F(soak.Start.HeapMb, "0.0"), F(soak.Start.CommittedMb, "0"), F(soak.Start.RssMb, "0"), N(soak.Start.Handles), N(soak.Start.Threads));
            Row(text, "end", F(soak.End.AtSeconds, "0"), F(soak.End.HeapMb, "0.0"), F(soak.End.CommittedMb, "0"), F(soak.End.RssMb, "0"), N(soak.End.Handles), N(soak.End.Threads));
            var refusedBy = soak.RefusedBy.Count == 0 ? "" : $": {string.Join(", ", soak.RefusedBy.OrderBy(r => r.Key).Select(r => $"{N(r.Value)} {r.Key}"))}";
            text.AppendLine($"  - {N(soak.Clients)} maps, {soak.Rate:0.#} changes/s for {soak.Seconds:0} s: {N(soak.Accepted)} accepted, {N(soak.Refused)} refused{refusedBy}; the node stepped aside {soak.SteppedAside} times; " +
                $"{N(soak.Deliveries)} deliveries, {N(soak.Lost)} lost, {N(soak.OutOfOrder)} out of order, {N(soak.Resyncs)} resyncs, {soak.Closed} closed.");
            text.AppendLine();
            Row(text, "minute", "at s", "heap after full GC MB", "GC committed MB", "fragmented MB", "RSS MB", "handles", "threads", "accepted", "refused");
            Row(text, "---", "---", "---", "---", "---", "---", "---", "---", "---", "---");
            for (var i = 0; i < soak.Samples.Length; i++)
            {
                var s = soak.Samples[i];
                Row(text, N(i), F(s.AtSeconds, "0"), F(s.HeapMb, "0.0") + (s.FullCollection ? "" : "*"), F(s.CommittedMb, "0"), F(s.FragmentedMb, "0.0"), F(s.RssMb, "0"), N(s.Handles), N(s.Threads), N(s.Accepted), N(s.Refused));
            }
            if (soak.Samples.Any(s => !s.FullCollection))
                text.AppendLine("  * the full collection could not be asked for; the heap as the last one left it.");
        }
        if (Verdicts.Count > 0)
        {
            text.AppendLine();
            foreach (var verdict in Verdicts)
                text.AppendLine($"{(verdict.Met ? "MET " : "MISS")}  {verdict.Target}: {F(verdict.Measured, "0.##")} {verdict.Unit}");
        }
        return text.ToString();
    }

    private static void Row(StringBuilder text, params string[] cells) => text.AppendLine("| " + string.Join(" | ", cells) + " |");

    private static string N(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string F(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Ms(double value) => F(value, value < 10 ? "0.00" : "0.0");
}
