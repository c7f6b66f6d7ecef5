using System.Diagnostics;
using System.Globalization;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// Where a change's time goes between the grain accepting it and its delta being handed to the
/// connections, for one node: a timestamp per stage and sequence number, written as one line per
/// entry to the file named by <c>LAGESBILD_STAGE_TIMES</c> (off, and free, without it). Used to
/// find the tail of the one-map latency (issue 21 item 3); BENCHMARKS.md shows how to read it.
/// </summary>
public static class PushStages
{
    /// <summary>The stages, in the order a change passes them.</summary>
    public enum Stage
    {
        /// <summary>The grain took the command (the delta's <c>at</c> is stamped here).</summary>
        Decided,
        /// <summary>The entry is written as JSON and goes to the store.</summary>
        Appending,
        /// <summary>The store answered: the entry is on disk.</summary>
        Appended,
        /// <summary>The node's feed got the entry (pub/sub, or handed over by the grain that wrote it).</summary>
        Offered,
        /// <summary>The delta was written to every watching connection's pipe.</summary>
        Pushed,
    }

    private const int Slots = 1 << 14;
    private static readonly string? FilePath = Environment.GetEnvironmentVariable("LAGESBILD_STAGE_TIMES");
    private static readonly long[,] Times = new long[FilePath is null ? 0 : Slots, Enum.GetValues<Stage>().Length];
    private static readonly long[] SeqOf = new long[FilePath is null ? 0 : Slots];
    private static readonly object Gate = new();
    private static StreamWriter? s_writer;

    public static bool Enabled => FilePath is not null;

    /// <summary>Stamps the stages known only before the sequence number is (the grain's), once it is.</summary>
    public static void Mark(long seq, Stage stage, long timestamp)
    {
        if (FilePath is null)
            return;
        var slot = (int)(seq & (Slots - 1));
        lock (Gate)
        {
            if (SeqOf[slot] != seq)
            {
                SeqOf[slot] = seq;
                for (var i = 0; i < Times.GetLength(1); i++)
                    Times[slot, i] = 0;
            }
            Times[slot, (int)stage] = timestamp;
            if (stage == Stage.Pushed)
                Write(slot, seq);
        }
    }

    /// <summary>Stamps a stage now; costs nothing when the stage times are off (it is on the push path of every entry).</summary>
    public static void Mark(long seq, Stage stage)
    {
        if (FilePath is not null)
            Mark(seq, stage, Stopwatch.GetTimestamp());
    }

    /// <summary>One line: seq, then each stage's time in µs after <see cref="Stage.Decided"/> (empty where not stamped), then the collector's total pause in µs.</summary>
    private static void Write(int slot, long seq)
    {
        s_writer ??= new StreamWriter(FilePath!, append: true) { AutoFlush = true };
        var start = Times[slot, 0];
        var line = new System.Text.StringBuilder(seq.ToString(CultureInfo.InvariantCulture));
        for (var i = 1; i < Times.GetLength(1); i++)
        {
            line.Append(',');
            if (start != 0 && Times[slot, i] != 0)
                line.Append(((Times[slot, i] - start) * 1_000_000 / Stopwatch.Frequency).ToString(CultureInfo.InvariantCulture));
        }
        // The collector's pauses so far: a slow entry whose line shows a jump over the line before was held by a collection.
        line.Append(',').Append(((long)GC.GetTotalPauseDuration().TotalMicroseconds).ToString(CultureInfo.InvariantCulture));
        s_writer.WriteLine(line);
    }
}
