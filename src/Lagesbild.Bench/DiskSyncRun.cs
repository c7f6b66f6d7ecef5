using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Lagesbild.Bench.Measure;
using Microsoft.Win32.SafeHandles;

namespace Lagesbild.Bench;

/// <summary>One way of making a write durable, timed.</summary>
public sealed record DiskSyncRow(string Mode, LatencySummary Latency);

/// <summary>What a durable 4 KB append costs on the disk the server's data folder is on.</summary>
public sealed record DiskSyncResult(string Folder, int Writes, int Bytes, List<DiskSyncRow> Rows);

/// <summary>
/// What an fsync costs on this disk (issue 21 item 3): 4 KB appends to a new file, each made
/// durable on its own, the way the embedded store's append-only file is (O_SYNC: Garnet's
/// FileStream device opens its files write-through), and with fdatasync and fsync after a plain
/// write for comparison; a plain write without either shows what the sync adds.
/// </summary>
public static class DiskSyncRun
{
    public const int Writes = 2000;
    public const int Bytes = 4096;

    public static DiskSyncResult Run()
    {
        // The server's data folder lives in the temp folder too (ServerProcess), so this is its disk.
        var folder = Path.Combine(Path.GetTempPath(), $"lagesbild-disksync-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            List<DiskSyncRow> rows =
            [
                new("O_SYNC write (the store's append-only file)", Time(folder, FileOptions.WriteThrough, _ => { })),
                new("write + fdatasync", Time(folder, FileOptions.None, handle => Check(FDataSync(handle)))),
                new("write + fsync", Time(folder, FileOptions.None, handle => Check(FSync(handle)))),
                new("write, no sync", Time(folder, FileOptions.None, _ => { })),
            ];
            return new DiskSyncResult(folder, Writes, Bytes, rows);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static LatencySummary Time(string folder, FileOptions options, Action<SafeFileHandle> sync)
    {
        var path = Path.Combine(folder, "append.bin");
        var block = new byte[Bytes];
        Random.Shared.NextBytes(block);
        var latencies = new LatencyHistogram();
        using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None, options))
        {
            for (var i = 0; i < Writes; i++)
            {
                var started = Stopwatch.GetTimestamp();
                RandomAccess.Write(handle, block, (long)i * Bytes);
                sync(handle);
                latencies.Record(Stopwatch.GetElapsedTime(started));
            }
        }
        File.Delete(path);
        return latencies.Summary();
    }

    private static void Check(int result)
    {
        if (result != 0)
            throw new IOException($"sync failed: errno {Marshal.GetLastPInvokeError()}");
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code in the project for two calls.
    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static extern int FDataSync(SafeFileHandle handle);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int FSync(SafeFileHandle handle);

    public static void AppendTable(StringBuilder text, DiskSyncResult result)
    {
        text.AppendLine();
        text.AppendLine($"| {result.Writes:N0} appends of {result.Bytes / 1024} KB ({result.Folder}'s disk) | p50 ms | p95 ms | p99 ms | max ms |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var row in result.Rows)
            text.AppendLine($"| {row.Mode} | {row.Latency.P50:0.000} | {row.Latency.P95:0.000} | {row.Latency.P99:0.000} | {row.Latency.Max:0.000} |");
    }
}
