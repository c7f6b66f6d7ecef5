using System.Globalization;

namespace Lagesbild.Bench.Measure;

/// <summary>
/// CPU time and resident memory of a process, and busy time of the whole machine, read from
/// /proc. CPU is given in percent of one core, so on this 2-core machine 200 % is everything.
/// </summary>
public static class ProcessMeter
{
    /// <summary>Clock ticks per second for /proc/*/stat; 100 on every Linux we run on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>User and system (kernel) CPU time of a process so far; zero when it is gone.</summary>
    public static CpuTime CpuTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name, which may itself hold spaces and parentheses.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return new CpuTime(
                TimeSpan.FromSeconds(long.Parse(fields[11], CultureInfo.InvariantCulture) / TicksPerSecond),
                TimeSpan.FromSeconds(long.Parse(fields[12], CultureInfo.InvariantCulture) / TicksPerSecond));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    /// <summary>Resident set size (VmRSS) in bytes; zero when the process is gone.</summary>
    public static long Rss(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>Open file descriptors (sockets, files, pipes); zero when the process is gone.</summary>
    public static int OpenFiles(int pid)
    {
        try
        {
            return Directory.GetFiles($"/proc/{pid}/fd").Length;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Threads of the process; zero when it is gone.</summary>
    public static int Threads(int pid) => (int)StatusKilobytes(pid, "Threads:");

    public static long FileDescriptorLimit(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3], CultureInfo.InvariantCulture);
        }
        return -1;
    }

    private static long StatusKilobytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>Busy and total CPU time of the machine (all cores) from /proc/stat.</summary>
    public static (TimeSpan Busy, TimeSpan Total) MachineCpu()
    {
        var first = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = first.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = values[3] + values[4];
        var total = values.Sum();
        return (TimeSpan.FromSeconds((total - idle) / TicksPerSecond), TimeSpan.FromSeconds(total / TicksPerSecond));
    }

    public static string MachineDescription()
    {
        var cores = Environment.ProcessorCount;
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var memoryKb = long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return $"{cores} cores ({model}), {memoryKb / 1024.0 / 1024.0:0.0} GiB memory, {Environment.OSVersion.VersionString}, .NET {Environment.Version}";
    }
}

public readonly record struct CpuTime(TimeSpan User, TimeSpan System)
{
    public TimeSpan Total => User + System;
    public static CpuTime operator +(CpuTime a, CpuTime b) => new(a.User + b.User, a.System + b.System);
    public static CpuTime operator -(CpuTime a, CpuTime b) => new(a.User - b.User, a.System - b.System);
}

/// <summary>
/// CPU used by a set of processes (and by the whole machine) between two moments, and the
/// highest resident memory of the watched processes, sampled every 250 ms in between.
/// </summary>
public sealed class CpuWindow : IAsyncDisposable
{
    private readonly Dictionary<string, int[]> _groups;
    private readonly Dictionary<string, CpuTime> _startCpu;
    private readonly Dictionary<string, long> _peakRss = [];
    private readonly (TimeSpan Busy, TimeSpan Total) _startMachine;
    private readonly long _startTicks = Environment.TickCount64;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    /// <summary>Starts measuring; each group is one or more processes (two server nodes count as one "server").</summary>
    public CpuWindow(Dictionary<string, int[]> groups)
    {
        _groups = groups;
        _startCpu = groups.ToDictionary(g => g.Key, g => Cpu(g.Value));
        _startMachine = ProcessMeter.MachineCpu();
        _sampler = SampleAsync();
    }

    private static CpuTime Cpu(int[] pids) => pids.Aggregate(default(CpuTime), (sum, pid) => sum + ProcessMeter.CpuTime(pid));

    private static long Rss(int[] pids) => pids.Sum(ProcessMeter.Rss);

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
                SamplePeak();
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void SamplePeak()
    {
        lock (_peakRss)
        {
            foreach (var (name, pids) in _groups)
                _peakRss[name] = Math.Max(_peakRss.GetValueOrDefault(name), Rss(pids));
        }
    }

    /// <summary>Ends the window: CPU % of one core per group, machine busy %, peak RSS per group.</summary>
    public async Task<WindowUsage> EndAsync()
    {
        var seconds = (Environment.TickCount64 - _startTicks) / 1000.0;
        var used = _groups.ToDictionary(g => g.Key, g => Cpu(g.Value) - _startCpu[g.Key]);
        var cpu = used.ToDictionary(u => u.Key, u => u.Value.Total.TotalSeconds / seconds * 100);
        var kernel = used.ToDictionary(u => u.Key, u => u.Value.System.TotalSeconds / seconds * 100);
        var machine = ProcessMeter.MachineCpu();
        var machineBusy = (machine.Busy - _startMachine.Busy).TotalSeconds / seconds * 100;
        await _stop.CancelAsync();
        await _sampler;
        SamplePeak();
        lock (_peakRss)
            return new WindowUsage(seconds, cpu, kernel, machineBusy, new Dictionary<string, long>(_peakRss));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}

/// <summary>What a window measured: CPU % of one core per process group (and the kernel's part of it), the machine's busy % (of one core, so up to 200 here), peak RSS.</summary>
public sealed record WindowUsage(double Seconds, Dictionary<string, double> CpuPercent, Dictionary<string, double> KernelCpuPercent, double MachineBusyPercent, Dictionary<string, long> PeakRss);
