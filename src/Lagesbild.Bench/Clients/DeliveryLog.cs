using System.Globalization;

namespace Lagesbild.Bench.Clients;

/// <summary>
/// One line per delivery (sequence number, latency in µs) in the file named by
/// <c>LAGESBILD_BENCH_DELIVERIES</c>: with the server's stage times (<c>LAGESBILD_STAGE_TIMES</c>)
/// it tells which stage a slow delivery spent its time in. Meant for one client.
/// </summary>
public sealed class DeliveryLog(string path)
{
    private readonly StreamWriter _writer = new(path, append: true) { AutoFlush = true };
    private readonly object _gate = new();

    public static DeliveryLog? FromEnvironment() =>
        Environment.GetEnvironmentVariable("LAGESBILD_BENCH_DELIVERIES") is { Length: > 0 } path ? new DeliveryLog(path) : null;

    public void Add(long seq, TimeSpan latency)
    {
        lock (_gate)
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seq},{(long)(latency.TotalMicroseconds)}"));
    }
}
