using System.Diagnostics;

namespace Lagesbild.Bench.Measure;

/// <summary>How long one awaited request or step took, for the runs that time single operations.</summary>
public static class Timed
{
    public static async Task<double> SecondsAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    public static async Task<double> MillisecondsAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalMilliseconds;
    }
}
