using System.Diagnostics;
using Lagesbild.Bench.Clients;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>
/// The soak: N maps connected (1,000) and R changes per second (10) for a long time (an hour
/// unless --seconds says otherwise). What it watches is what leaks: the server's managed heap
/// after a full collection (what a leak grows), its resident memory (which also holds what the
/// collector keeps committed), open handles (file descriptors: sockets, files) and threads, read
/// when the maps have joined and then every minute until the end; and, at the end, that every map
/// got every change, once and in order, and why any change was refused.
/// </summary>
public static class Soak
{
    public const double DefaultSeconds = 3600;
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(60);

    /// <summary>What a node logs when it steps aside (StoreReach): with the embedded store, which is in the process, only the node's own lateness could cause it.</summary>
    private const string SteppedAside = "The store is unreachable from this node";

    public static async Task<SoakResult> RunAsync(int clients, double rate, double seconds, BenchOptions options)
    {
        Log($"soak: {clients} clients, {rate}/s for {seconds:0} s");
        await using var servers = await ServerNodes.StartAsync(options.Nodes, options.Redis, options.ServerAssembly);
        var http = servers.CreateClients();
        // As in the load runs: the change path compiled before anyone connects.
        await new ChangeDriver(http).RunAsync(rate: 50, count: 300, sequential: true, CancellationToken.None);
        await using var fleet = FleetProcess.Start(servers.Addresses, servers.Token, clients, 0, options);
        var ready = await fleet.ReadyAsync(TimeSpan.FromSeconds(90 + clients / 20.0));
        Log($"{ready.Connected} clients joined in {ready.ConnectSeconds:0.0} s");
        await Task.Delay(TimeSpan.FromSeconds(5));
        var (startSeq, _) = await http[0].DigestAsync();
        await fleet.StartWindowAsync(startSeq);

        var clock = Stopwatch.StartNew();
        var samples = new List<SoakSample> { await SampleAsync(servers, http, clock, 0, 0) };
        LogSample(samples[^1]);
        int accepted = 0, refused = 0;
        var refusedBy = new Dictionary<string, int>();
        long lastSeq = startSeq;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var slice = Math.Min(Slice.TotalSeconds, seconds - clock.Elapsed.TotalSeconds);
            var driver = new ChangeDriver(http);
            var drive = await driver.RunAsync(rate, Math.Max(1, (int)Math.Round(rate * slice)), sequential: false, CancellationToken.None);
            accepted += drive.Accepted;
            refused += drive.Refused;
            foreach (var (kind, count) in driver.RefusedBy)
                refusedBy[kind] = refusedBy.GetValueOrDefault(kind) + count;
            if (drive.FirstRefusal is { } why)
                Log($"refused: {why}");
            lastSeq = Math.Max(lastSeq, drive.LastSeq);
            samples.Add(await SampleAsync(servers, http, clock, accepted, refused));
            LogSample(samples[^1]);
        }
        var result = await fleet.FinishAsync(lastSeq, TimeSpan.FromSeconds(30));
        var steppedAside = servers.Nodes.Sum(n => CountLines(n.Output, SteppedAside));
        foreach (var client in http)
            client.Dispose();
        var normal = result.Normal;
        return new SoakResult(ready.Connected, rate, clock.Elapsed.TotalSeconds, accepted, refused, refusedBy, steppedAside,
            normal.Deliveries, normal.Lost, normal.Duplicates + normal.Gaps, normal.Resyncs, normal.Closed,
            samples[0], samples[^1], [.. samples]);
    }

    /// <summary>The heap first (the full collection it asks for also settles what RSS can give back), then RSS, handles, threads.</summary>
    private static async Task<SoakSample> SampleAsync(ServerNodes servers, List<HttpClient> http, Stopwatch clock, int accepted, int refused)
    {
        var at = clock.Elapsed.TotalSeconds;
        var heaps = new List<HeapReading>();
        for (var i = 0; i < servers.Pids.Length; i++)
            heaps.Add(await ManagedHeapMeter.AfterFullCollectionAsync(servers.Pids[i], http[i]));
        const double Mb = 1024.0 * 1024;
        return new SoakSample(
            at,
            heaps.Sum(h => h.HeapBytes) / Mb,
            heaps.All(h => h.Collected),
            heaps.Sum(h => h.CommittedBytes) / Mb,
            heaps.Sum(h => h.FragmentedBytes) / Mb,
            servers.Rss / Mb,
            servers.Pids.Sum(ProcessMeter.OpenFiles),
            servers.Pids.Sum(ProcessMeter.Threads),
            accepted,
            refused);
    }

    private static int CountLines(string output, string text)
    {
        var count = 0;
        for (var at = output.IndexOf(text, StringComparison.Ordinal); at >= 0; at = output.IndexOf(text, at + text.Length, StringComparison.Ordinal))
            count++;
        return count;
    }

    private static void LogSample(SoakSample s) =>
        Log($"{s.AtSeconds,6:0} s: heap after full GC {s.HeapMb:0} MB{(s.FullCollection ? "" : " (last GC's)")}, committed {s.CommittedMb:0} MB, fragmented {s.FragmentedMb:0} MB, " +
            $"RSS {s.RssMb:0} MB, {s.Handles} handles, {s.Threads} threads; {s.Accepted} changes accepted, {s.Refused} refused");

    private static void Log(string line) => Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} {line}");
}

/// <summary>
/// The server (all nodes together) at one moment of the soak: managed heap after a full
/// collection (<see cref="FullCollection"/> when it was asked for just then), the collector's
/// committed and fragmented memory, resident memory, open handles, threads, and the changes
/// accepted and refused so far.
/// </summary>
public sealed record SoakSample(double AtSeconds, double HeapMb, bool FullCollection, double CommittedMb, double FragmentedMb, double RssMb, int Handles, int Threads, int Accepted, int Refused);

public sealed record SoakResult(int Clients, double Rate, double Seconds, int Accepted, int Refused, Dictionary<string, int> RefusedBy, int SteppedAside,
    long Deliveries, long Lost, long OutOfOrder, long Resyncs, int Closed,
    SoakSample Start, SoakSample End, SoakSample[] Samples);
