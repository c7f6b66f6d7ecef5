namespace Lagesbild.Bench;

/// <summary>
/// The scenarios by name, their defaults, and the targets they are judged against. A value
/// given on the command line replaces the default in every load scenario chosen.
/// </summary>
public static class Scenarios
{
    /// <summary>The frame-once floor's runs (issue 21), each the same load as the Lagesbild run it is named after.</summary>
    public static readonly string[] FloorOf = ["floor-one", "floor-n1000", "floor-n10000"];

    public static readonly string[] All = ["startup", "one", "one-task", "n100", "n1000", "n10000", "stalled", "idle-memory"];
    public static readonly string[] Known = [.. All, "writers", "fsync", "smoke", "custom", "replay", "after-action", "soak", "overview", "overview-page", "exports", "public", "alerts", .. FloorOf];

    /// <summary>The scale the targets ask for; measured in two halves (<see cref="IdleMemory"/>).</summary>
    public const int IdleConnections = 10_000;

    public static IReadOnlyList<LoadSpec> Loads(string scenario, BenchOptions options)
    {
        // --stalled applies to every run but a baseline, which is there to be compared with.
        LoadSpec Spec(string label, int clients, double rate, double seconds, int stalled = 0, bool sequential = false) =>
            new(scenario, label, options.Clients ?? clients, options.Rate ?? rate, options.Seconds ?? seconds,
                label.EndsWith("-baseline", StringComparison.Ordinal) ? 0 : options.Stalled ?? stalled, sequential);
        return scenario switch
        {
            // Few seconds, small N: asserts nothing about time, only that nothing is lost or out of order.
            "smoke" => [Spec("smoke", 5, 20, 3)],
            // One change at a time (each is answered long before the next is due): the latency of a lone change.
            "one" => [Spec("one", 1, 100, 10, sequential: true)],
            // The same, each change a step of an uppdrag (sent, acknowledged, started, done) between central and Farsta.
            "one-task" => [Spec("one-task", 1, 100, 10, sequential: true) with { TaskSteps = true }],
            // Group commit (issue 21 item 3): one map, 1 then 8 writers as fast as the answers come (each
            // change is acknowledged only once on disk); the changes go round the demo points, so 8 grains append at once.
            // The schedules are beyond what the server answers, so each run shows its throughput.
            "writers" => [Spec("writers-1", 1, 1000, 10, sequential: true), Spec("writers-8", 1, 4000, 5, sequential: true) with { Writers = 8 }],
            "n100" => [Spec("n100", 100, 10, 30)],
            "n1000" => [Spec("n1000", 1000, 10, 30)],
            "n10000" => [Spec("n10000", 10_000, 10, 30)],
            // Long enough for a stalled client's socket buffers to fill and the server's bound to act.
            "stalled" => [Spec("stalled-baseline", 1000, 10, 60), Spec("stalled", 1000, 10, 60, (options.Clients ?? 1000) / 10)],
            "custom" => [Spec("custom", 100, 10, 30)],
            "floor-one" or "floor-n1000" or "floor-n10000" => [.. Loads(scenario["floor-".Length..], options).Select(spec => spec with { Scenario = scenario, Label = "floor-" + spec.Label, Floor = true })],
            // The operators' 1,000 maps alone, then again while residents ask for the public list at once: as fast
            // as the machine answers (wrk), and at the city's target rate held constant (h2load).
            "public" => [Spec("public-baseline", 1000, 10, 30), Spec("public", 1000, 10, 30) with { PublicConnections = options.PublicConnections },
                Spec("public-rate", 1000, 10, 30) with { PublicConnections = options.PublicConnections, PublicRate = options.PublicRate }],
            _ => [],
        };
    }

    /// <summary>Each floor run with the Lagesbild run of the same load in the same report (issue 21's ratios).</summary>
    public static IEnumerable<(LoadResult Lagesbild, LoadResult Floor)> FloorPairs(BenchReport report) =>
        from floor in report.Loads.Where(r => r.Label.StartsWith("floor-", StringComparison.Ordinal))
        from lagesbild in report.Loads
        where lagesbild.Label == floor.Label["floor-".Length..] && lagesbild.Clients == floor.Clients && lagesbild.Rate == floor.Rate
        select (lagesbild, floor);

    /// <summary>The targets for this machine (2 cores) with the embedded store, judged only on runs with the target's own N and R.</summary>
    public static IEnumerable<Verdict> Judge(BenchReport report)
    {
        foreach (var run in report.Loads.Where(r => r.Nodes == 1 && r.Store == "embedded"))
        {
            switch (run.Label)
            {
                case "one" when run.Clients == 1:
                    yield return new Verdict("one change to one client: p50 ≤ 2 ms", run.Latency.P50, 2, "ms");
                    yield return new Verdict("one change to one client: p99 ≤ 10 ms", run.Latency.P99, 10, "ms");
                    break;
                case "one-task" when run.Clients == 1:
                    yield return new Verdict("one uppdrag step to one client: p50 ≤ 2 ms (as any change)", run.Latency.P50, 2, "ms");
                    yield return new Verdict("one uppdrag step to one client: p99 ≤ 10 ms (as any change)", run.Latency.P99, 10, "ms");
                    break;
                case "n1000" when run.Clients == 1000 && run.Rate == 10:
                    yield return new Verdict("1,000 clients at 10 changes/s: p99 ≤ 50 ms", run.Latency.P99, 50, "ms");
                    yield return new Verdict("1,000 clients at 10 changes/s: 0 lost", run.Lost, 0, "lost");
                    break;
                case "n10000" when run.Clients == 10_000 && run.Rate == 10:
                    yield return new Verdict("10,000 clients at 10 changes/s: p99 ≤ 250 ms", run.Latency.P99, 250, "ms");
                    yield return new Verdict("10,000 clients at 10 changes/s: 0 lost", run.Lost, 0, "lost");
                    break;
            }
        }
        foreach (var (lagesbild, floor) in FloorPairs(report))
            yield return new Verdict($"{lagesbild.Label} ({lagesbild.Clients:N0} maps): p99 ≤ 1.5× the frame-once floor's ({floor.Latency.P99:0.0} ms)", lagesbild.Latency.P99 / floor.Latency.P99, 1.5, "×");
        if (report.Replay is { Entries: >= ReplayRun.DefaultEntries } replay)
        {
            yield return new Verdict($"jump to any moment in a picture of {replay.Entries:N0} entries ≤ 1 s (slowest of {replay.JumpSeconds.Count})", replay.JumpSeconds.Max, 1, "s");
            yield return new Verdict($"import {replay.Entries:N0} entries ≤ 10 s", replay.ImportSeconds, 10, "s");
        }
        if (report.Overview is { } overview)
            yield return new Verdict($"samlad lägesbild with {overview.Reports:N0} reports in the history ≤ 100 ms (median local round trip)", overview.OverviewMs.Median, 100, "ms");
        if (report.Exports is { } exports)
        {
            yield return new Verdict($"search over {exports.Resolutions + exports.Assignments:N0} beslut and uppdrag ≤ 50 ms (p99 local round trip)", exports.SearchP99Ms, 50, "ms");
            yield return new Verdict($"samlad lägesbild as PDF with {exports.Reports:N0} reports ≤ 2 s (median)", exports.OverviewPdfMs.Median / 1000, 2, "s");
        }
        if (report.OverviewPage is { } page)
            yield return new Verdict($"samlad lägesbild rendered in the page with {page.Reports:N0} reports in the history ≤ 300 ms (median)", page.RenderMs.Median, 300, "ms");
        if (report.IdleMemory is { } idle)
            yield return new Verdict($"server memory per idle connection ≤ 18 KB (average over {idle.Connected:N0}; issue 21)", idle.ServerKbPerConnection, 18, "KB");
        if (report.Startup is { } startup)
        {
            yield return new Verdict("start to ready ≤ 1 s (first start, median; issue 21)", startup.FirstStart.MedianSeconds, 1, "s");
            if (startup.Restart.Runs > 0)
                yield return new Verdict("start to ready ≤ 1 s (restart, median; issue 21)", startup.Restart.MedianSeconds, 1, "s");
        }
    }
}

/// <summary>One target and the measured value: met when the value is at most the limit.</summary>
public sealed record Verdict(string Target, double Measured, double Limit, string Unit)
{
    public bool Met => Measured <= Limit;
}
