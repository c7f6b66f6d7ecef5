namespace Lagesbild.Server.Live;

/// <summary>This node's live delivery right now: connections, slow ones, the biggest queue, and who holds the most connections against which caps.</summary>
public sealed record LiveStats(
    int Connections, int Watching, int Behind, int HighestQueuedMessages, long HighestQueuedBytes,
    long Resyncs, long DroppedDeltas, long DroppedBytes, long TimedOut, long ProcessMemoryBytes, int CoalescingPictures, int? SharedArrayPoolArraysPerCore,
    LiveConnectionCounts Caps, ManagedHeap Heap, long DeltasFramed);

/// <summary>
/// The managed heap as the last full (generation 2) collection left it: what is live then is what
/// a leak would grow, unlike the process's resident memory, which also holds memory the collector
/// keeps committed for later. Zero before the first full collection.
/// </summary>
public sealed record ManagedHeap(long AfterLastFullCollectionBytes, long FragmentedBytes, long CommittedBytes, int FullCollections)
{
    public static ManagedHeap Now()
    {
        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var last = background.Index > blocking.Index ? background : blocking;
        return new ManagedHeap(last.HeapSizeBytes, last.FragmentedBytes, last.TotalCommittedBytes, GC.CollectionCount(2));
    }
}

public static class LiveStatsApi
{
    public static IEndpointRouteBuilder MapLiveStatsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/live/stats", (LiveConnections connections, LiveMetrics metrics, LiveConnectionCap cap) =>
            {
                var feeds = connections.Feeds.ToArray();
                var (resyncs, droppedDeltas, droppedBytes, timedOut) = metrics.Totals;
                return TypedResults.Ok(new LiveStats(
                    connections.Count,
                    feeds.Length,
                    feeds.Count(f => f.IsBehind),
                    feeds.Length == 0 ? 0 : feeds.Max(f => f.QueuedMessages),
                    feeds.Length == 0 ? 0 : feeds.Max(f => f.QueuedBytes),
                    resyncs, droppedDeltas, droppedBytes, timedOut,
                    Environment.WorkingSet,
                    metrics.CoalescingPictures,
                    SharedArrayPool.InEffect(),
                    cap.Counts(top: 5),
                    ManagedHeap.Now(),
                    metrics.DeltasFramed));
            })
            .RequireAuthorization(Access.AccessExtensions.OperatorsPicture)
            .WithTags("Drift")
            .WithSummary("Den här nodens livekopplingar: antal, hur många som ligger efter, största kön, vem som har flest kopplingar");
        return app;
    }
}
