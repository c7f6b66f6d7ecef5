using System.Diagnostics.Tracing;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;

namespace Lagesbild.Bench.Measure;

/// <summary>
/// A server's managed heap after a full collection, which is what a leak grows (resident memory
/// also holds what the collector keeps committed for later, and can grow with no leak at all).
/// The collection is asked for from outside as dotnet-gcdump asks for it: a session on the
/// runtime's diagnostics port with the runtime provider's GCHeapCollect keyword makes the runtime
/// run a full blocking collection. The server's own figures (/api/live/stats) then tell the heap
/// that collection left.
/// </summary>
public static class ManagedHeapMeter
{
    private const long GcKeyword = 0x1;
    private const long GcHeapCollectKeyword = 0x800000;

    public static async Task<HeapReading> AfterFullCollectionAsync(int pid, HttpClient node)
    {
        var before = await ReadAsync(node);
        try
        {
            var client = new DiagnosticsClient(pid);
            using var session = await client.StartEventPipeSessionAsync(
                [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | GcHeapCollectKeyword)],
                requestRundown: false, circularBufferMB: 16, CancellationToken.None);
            var drain = session.EventStream.CopyToAsync(Stream.Null);
            var reading = before;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (reading.FullCollections == before.FullCollections && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
                reading = await ReadAsync(node);
            }
            await session.StopAsync(CancellationToken.None);
            await drain.WaitAsync(TimeSpan.FromSeconds(10));
            return reading with { Collected = reading.FullCollections > before.FullCollections };
        }
        catch (Exception error) when (error is ServerNotAvailableException or DiagnosticsClientException or IOException or TimeoutException)
        {
            Console.Error.WriteLine($"  no full collection asked of {pid}: {error.Message}");
            return before;
        }
    }

    private static async Task<HeapReading> ReadAsync(HttpClient node)
    {
        var heap = (await node.GetFromJsonAsync<JsonElement>("api/live/stats")).GetProperty("heap");
        return new HeapReading(
            heap.GetProperty("afterLastFullCollectionBytes").GetInt64(),
            heap.GetProperty("fragmentedBytes").GetInt64(),
            heap.GetProperty("committedBytes").GetInt64(),
            heap.GetProperty("fullCollections").GetInt32(),
            Collected: false);
    }
}

/// <summary>A managed heap as its last full collection left it; <see cref="Collected"/> when that collection was the one just asked for.</summary>
public sealed record HeapReading(long HeapBytes, long FragmentedBytes, long CommittedBytes, int FullCollections, bool Collected);
