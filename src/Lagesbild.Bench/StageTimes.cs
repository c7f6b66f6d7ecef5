using System.Globalization;
using System.Text;
using Lagesbild.Bench.Measure;

namespace Lagesbild.Bench;

/// <summary>
/// Where a lone change's time goes (issue 21 item 3), with <c>--stage-times</c>: the server stamps
/// each entry's stages (<c>LAGESBILD_STAGE_TIMES</c>, see PushStages in Lagesbild.Grains), the client
/// logs each delivery's latency (<c>LAGESBILD_BENCH_DELIVERIES</c>), and the two are joined by
/// sequence number. Meant for one load run with one client: every run starts its numbers anew.
/// </summary>
public sealed class StageTimes
{
    private static readonly string[] Stages = ["grain: decided → to the store", "store: append, on disk", "stored → the node's feed", "feed: to every connection's pipe", "pipe → the client's handler", "total (the benchmark's latency)"];

    public string ServerFile { get; } = Path.Combine(Path.GetTempPath(), $"lagesbild-stages-{Environment.ProcessId}.csv");
    public string ClientFile { get; } = Path.Combine(Path.GetTempPath(), $"lagesbild-deliveries-{Environment.ProcessId}.csv");

    /// <summary>Per stage p50/p90/p99/max in ms, the slowest deliveries stage by stage, and the collector's pauses.</summary>
    public string Table()
    {
        var server = new Dictionary<long, long[]>();
        foreach (var line in File.ReadLines(ServerFile))
        {
            var cells = line.Split(',');
            // seq, to the store, stored, offered, pushed (µs after decided), collector's total pause (µs)
            if (cells.Length == 6 && cells.All(c => c.Length > 0))
                server[long.Parse(cells[0], CultureInfo.InvariantCulture)] = [.. cells.Skip(1).Select(c => long.Parse(c, CultureInfo.InvariantCulture))];
        }
        var rows = new List<(long Seq, long[] Stages, long Paused)>();
        foreach (var line in File.ReadLines(ClientFile))
        {
            var cells = line.Split(',');
            var seq = long.Parse(cells[0], CultureInfo.InvariantCulture);
            if (!server.TryGetValue(seq, out var s))
                continue;
            var total = long.Parse(cells[1], CultureInfo.InvariantCulture);
            var paused = server.TryGetValue(seq - 1, out var before) ? s[4] - before[4] : 0;
            rows.Add((seq, [s[0], s[1] - s[0], s[2] - s[1], s[3] - s[2], total - s[3], total], paused));
        }
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"| stage ({rows.Count:N0} deliveries) | p50 ms | p90 ms | p99 ms | max ms |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        for (var i = 0; i < Stages.Length; i++)
        {
            var histogram = new LatencyHistogram();
            foreach (var row in rows)
                histogram.Record(row.Stages[i]);
            text.AppendLine($"| {Stages[i]} | {histogram.PercentileMs(50):0.00} | {histogram.PercentileMs(90):0.00} | {histogram.PercentileMs(99):0.00} | {histogram.MaxMs:0.00} |");
        }
        text.AppendLine();
        text.AppendLine($"The slowest 1 % ({Math.Max(1, rows.Count / 100)}), ms: {string.Join(" / ", Stages.Select(s => s.Split(':')[0]))} / collector's pause since the entry before:");
        foreach (var row in rows.OrderByDescending(r => r.Stages[^1]).Take(Math.Max(1, rows.Count / 100)))
            text.AppendLine($"  {row.Seq}: " + string.Join(" / ", row.Stages.Select(us => (us / 1000.0).ToString("0.00", CultureInfo.InvariantCulture))) + $" / {row.Paused / 1000.0:0.00}");
        var pauses = rows.Sum(r => r.Paused);
        text.AppendLine($"The collector paused the server {pauses / 1000.0:0.0} ms in all, before {rows.Count(r => r.Paused > 0)} of the {rows.Count:N0} entries.");
        return text.ToString();
    }
}
