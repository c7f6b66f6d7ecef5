using System.Diagnostics;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// The CPU time the server and this test process took between two moments, and this process's garbage collections
/// (their count and pause): whether the processes beside the browser took the machine while the page measured frames.
/// </summary>
public sealed class ProcessWork
{
    private readonly Process? _server;
    private readonly TimeSpan _serverCpu;
    private readonly TimeSpan _ownCpu;
    private readonly int[] _collections;
    private readonly TimeSpan _paused;

    private ProcessWork(int? serverId)
    {
        _server = serverId is { } id ? Process.GetProcessById(id) : null;
        _serverCpu = _server?.TotalProcessorTime ?? TimeSpan.Zero;
        _ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        _paused = GC.GetTotalPauseDuration();
    }

    public static ProcessWork Start(int? serverId) => new(serverId);

    /// <summary>e.g. "server CPU 12 ms; test process CPU 85 ms, 1 GC (gen 0/1/2: 1/0/0), paused 0.8 ms; load average 1.20".</summary>
    public string Stop()
    {
        _server?.Refresh();
        var server = (_server?.TotalProcessorTime ?? TimeSpan.Zero) - _serverCpu;
        var own = Process.GetCurrentProcess().TotalProcessorTime - _ownCpu;
        var gcs = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - _collections[g]).ToArray();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        return $"server CPU {server.TotalMilliseconds:F0} ms; test process CPU {own.TotalMilliseconds:F0} ms, GC gen 0/1/2 {gcs[0]}/{gcs[1]}/{gcs[2]}, " +
            $"paused {(GC.GetTotalPauseDuration() - _paused).TotalMilliseconds:F1} ms; load average {load}";
    }
}
