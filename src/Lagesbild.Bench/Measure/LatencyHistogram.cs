using System.Numerics;

namespace Lagesbild.Bench.Measure;

/// <summary>
/// Latencies in microseconds, counted in buckets: exact below 256 µs, then 128 buckets per
/// doubling (under 0.8 % error). Recording is one interlocked increment, so thousands of
/// connections can record into one histogram; the maximum is kept exactly.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 256;
    private const int PerDoubling = 128;
    private readonly long[] _counts = new long[Linear + 56 * PerDoubling];
    private long _count;
    private long _max;

    public long Count => Interlocked.Read(ref _count);
    public double MaxMs => Interlocked.Read(ref _max) / 1000.0;

    public void Record(TimeSpan latency) => Record(latency.Ticks / 10);

    public void Record(long micros)
    {
        if (micros < 0)
            micros = 0;
        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _count);
        var max = Interlocked.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
                break;
            max = seen;
        }
    }

    /// <summary>The latency at or below which <paramref name="percent"/> of the recorded ones lie, in ms.</summary>
    public double PercentileMs(double percent)
    {
        var count = Count;
        if (count == 0)
            return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(percent / 100 * count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
                return Math.Min(Middle(i), Interlocked.Read(ref _max)) / 1000.0;
        }
        return MaxMs;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
            _counts[i] += other._counts[i];
        _count += other._count;
        _max = Math.Max(_max, other._max);
    }

    /// <summary>Non-empty buckets as [index, count] pairs, for sending between processes.</summary>
    public long[][] ToSparse()
    {
        var pairs = new List<long[]>();
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] != 0)
                pairs.Add([i, _counts[i]]);
        }
        pairs.Add([-1, _max]);
        return [.. pairs];
    }

    public static LatencyHistogram FromSparse(long[][] pairs)
    {
        var histogram = new LatencyHistogram();
        foreach (var pair in pairs)
        {
            if (pair[0] < 0)
            {
                histogram._max = pair[1];
                continue;
            }
            histogram._counts[pair[0]] = pair[1];
            histogram._count += pair[1];
        }
        return histogram;
    }

    public LatencySummary Summary() => new(Count, PercentileMs(50), PercentileMs(95), PercentileMs(99), MaxMs);

    private static int Index(long micros)
    {
        if (micros < Linear)
            return (int)micros;
        var log = 63 - BitOperations.LeadingZeroCount((ulong)micros);
        var shift = log - 7;
        return Linear + (shift - 1) * PerDoubling + (int)(micros >> shift) - PerDoubling;
    }

    private static long Middle(int index)
    {
        if (index < Linear)
            return index;
        var shift = (index - Linear) / PerDoubling + 1;
        var mantissa = (long)((index - Linear) % PerDoubling + PerDoubling);
        return (mantissa << shift) + (1L << shift) / 2;
    }
}

/// <summary>A latency distribution as the report shows it, in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P95, double P99, double Max);
