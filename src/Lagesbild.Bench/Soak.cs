using System.Diagnostics;
using Lagesbild.Bench.Clients;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>
/// The soak: N maps connected (1,000) and R changes per second (10) for a long time (an hour
/// unless --seconds says otherwise). What it watches is what leaks: the server's resident
/// memory, open handles (file descriptors: sockets, files) and threads, read when the maps
/// have joined and then every minute until the end; and, at the end, that every map got
/// every change, once and in order.
/// </summary>
public static class Soak
{
    public const double DefaultSeconds = 3600;
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(60);

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
        var samples = new List<SoakSample> { Sample(servers, clock) };
        int accepted = 0, refused = 0;
        long lastSeq = startSeq;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var slice = Math.Min(Slice.TotalSeconds, seconds - clock.Elapsed.TotalSeconds);
            var drive = await new ChangeDriver(http).RunAsync(rate, Math.Max(1, (int)Math.Round(rate * slice)), sequential: false, CancellationToken.None);
            accepted += drive.Accepted;
            refused += drive.Refused;
            lastSeq = Math.Max(lastSeq, drive.LastSeq);
            samples.Add(Sample(servers, clock));
            var last = samples[^1];
            Log($"{last.AtSeconds,6:0} s: RSS {last.RssMb:0} MB, {last.Handles} handles, {last.Threads} threads; {accepted} changes accepted");
        }
        var result = await fleet.FinishAsync(lastSeq, TimeSpan.FromSeconds(30));
        foreach (var client in http)
            client.Dispose();
        var normal = result.Normal;
        return new SoakResult(ready.Connected, rate, clock.Elapsed.TotalSeconds, accepted, refused, normal.Deliveries, normal.Lost, normal.Duplicates + normal.Gaps, normal.Resyncs, normal.Closed,
            samples[0], samples[^1], [.. samples]);
    }

    private static SoakSample Sample(ServerNodes servers, Stopwatch clock) => new(
        clock.Elapsed.TotalSeconds,
        servers.Rss / (1024.0 * 1024),
        servers.Pids.Sum(ProcessMeter.OpenFiles),
        servers.Pids.Sum(ProcessMeter.Threads));

    private static void Log(string line) => Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} {line}");
}

/// <summary>The server (all nodes together) at one moment of the soak: resident memory, open handles, threads.</summary>
public sealed record SoakSample(double AtSeconds, double RssMb, int Handles, int Threads);

public sealed record SoakResult(int Clients, double Rate, double Seconds, int Accepted, int Refused, long Deliveries, long Lost, long OutOfOrder, long Resyncs, int Closed,
    SoakSample Start, SoakSample End, SoakSample[] Samples);
