using System.Diagnostics;
using Lagesbild.Bench.Measure;

namespace Lagesbild.Bench.Clients;

/// <summary>Clients measured together (the normal ones, the stalled ones, the probe), with one latency histogram.</summary>
public sealed class ClientGroup(string name)
{
    public string Name { get; } = name;
    public LatencyHistogram Latencies { get; } = new();
    public List<PictureClient> Clients { get; } = [];

    public void StartWindow(long afterSeq)
    {
        foreach (var client in Clients)
            client.StartWindow(afterSeq);
    }

    /// <summary>Waits until every open client has reached <paramref name="finalSeq"/>; returns how long that took.</summary>
    public async Task<double> DrainAsync(long finalSeq, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout && Clients.Any(c => c.ClosedBecause is null && c.LastSeq < finalSeq))
            await Task.Delay(20);
        return waited.Elapsed.TotalSeconds;
    }

    public GroupResult Result(long finalSeq, double drainSeconds) => new(
        Name,
        Clients.Count,
        Clients.Count(c => c.ClosedBecause is not null),
        Clients.Sum(c => c.Deltas),
        Clients.Sum(c => c.Lost(finalSeq)),
        Clients.Sum(c => c.Duplicates),
        Clients.Sum(c => c.Gaps),
        Clients.Sum(c => c.Resyncs),
        Clients.Sum(c => c.CoveredBySnapshots),
        Clients.Sum(c => c.Bytes),
        drainSeconds,
        Latencies.ToSparse(),
        [.. Clients.Where(c => c.ClosedBecause is not null).GroupBy(c => c.ClosedBecause!).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}× {g.Key}")]);
}

/// <summary>What one group of clients saw in the measured window.</summary>
public sealed record GroupResult(
    string Name,
    int Connections,
    int Closed,
    long Deliveries,
    long Lost,
    long Duplicates,
    long Gaps,
    long Resyncs,
    long CoveredBySnapshots,
    long Bytes,
    double DrainSeconds,
    long[][] Histogram,
    string[] CloseReasons)
{
    public LatencySummary Latency() => LatencyHistogram.FromSparse(Histogram).Summary();
}
