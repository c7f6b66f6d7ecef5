using System.Diagnostics;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// The CPU time the server and this test process took between two moments, the server's busiest threads by name
/// (/proc: its garbage collector, thread pool, store), and this process's garbage collections (their count and
/// pause): whether the processes beside the browser took the machine while the page measured frames.
/// </summary>
public sealed class ProcessWork
{
    private readonly Process? _server;
    private readonly TimeSpan _serverCpu;
    private readonly TimeSpan _ownCpu;
    private readonly int[] _collections;
    private readonly TimeSpan _paused;
    private readonly Dictionary<string, long> _serverThreads;

    private ProcessWork(int? serverId)
    {
        _server = serverId is { } id ? Process.GetProcessById(id) : null;
        _serverCpu = _server?.TotalProcessorTime ?? TimeSpan.Zero;
        _ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        _paused = GC.GetTotalPauseDuration();
        _serverThreads = ThreadTicks(serverId);
    }

    /// <summary>CPU clock ticks (user + system) so far of each of a process's threads, by thread id and name.</summary>
    private static Dictionary<string, long> ThreadTicks(int? pid)
    {
        var ticks = new Dictionary<string, long>();
        var tasks = $"/proc/{pid}/task";
        if (pid is null || !Directory.Exists(tasks))
            return ticks;
        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                // The name is in parentheses and may hold spaces: the fields after it count from its closing one.
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var fields = stat[(close + 2)..].Split(' ');
                ticks[$"{name} ({Path.GetFileName(task)})"] = long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (IOException)
            {
                // The thread ended meanwhile.
            }
        }
        return ticks;
    }

    public static ProcessWork Start(int? serverId) => new(serverId);

    /// <summary>
    /// Waits until the server has taken under 40 ms of CPU in half a second, at most <paramref name="longest"/>;
    /// returns how long that took. After a burst of writes the server's runtime recompiles what they made hot (its
    /// tiered compilation thread) for seconds after, on the cores the browser needs: a measurement of the page
    /// waits for that to pass, as a replay of a busy exercise is watched well after it was written. An idle server
    /// still takes about 30 ms a half second (its timers, the silo), so the bar sits above that and below the
    /// recompiling, which takes 100 ms or more.
    /// </summary>
    public static async Task<TimeSpan> WaitForQuietAsync(int serverId, TimeSpan longest)
    {
        var waited = Stopwatch.StartNew();
        using var server = Process.GetProcessById(serverId);
        var cpu = server.TotalProcessorTime;
        while (waited.Elapsed < longest)
        {
            await Task.Delay(500);
            server.Refresh();
            var now = server.TotalProcessorTime;
            if (now - cpu < TimeSpan.FromMilliseconds(40))
                break;
            cpu = now;
        }
        return waited.Elapsed;
    }

    /// <summary>e.g. "server CPU 12 ms; test process CPU 85 ms, 1 GC (gen 0/1/2: 1/0/0), paused 0.8 ms; load average 1.20".</summary>
    public string Stop()
    {
        _server?.Refresh();
        var server = (_server?.TotalProcessorTime ?? TimeSpan.Zero) - _serverCpu;
        var own = Process.GetCurrentProcess().TotalProcessorTime - _ownCpu;
        var gcs = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - _collections[g]).ToArray();
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
        // A clock tick is 10 ms (USER_HZ 100).
        var threads = ThreadTicks(_server?.Id)
            .Select(t => (t.Key, Ms: (t.Value - _serverThreads.GetValueOrDefault(t.Key)) * 10))
            .Where(t => t.Ms > 0).OrderByDescending(t => t.Ms).Take(4).Select(t => $"{t.Key} {t.Ms} ms");
        return $"server CPU {server.TotalMilliseconds:F0} ms (threads: {string.Join(", ", threads)}); test process CPU {own.TotalMilliseconds:F0} ms, GC gen 0/1/2 {gcs[0]}/{gcs[1]}/{gcs[2]}, " +
            $"paused {(GC.GetTotalPauseDuration() - _paused).TotalMilliseconds:F1} ms; load average {load}";
    }
}
