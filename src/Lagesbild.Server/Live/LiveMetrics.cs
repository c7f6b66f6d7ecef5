using System.Diagnostics.Metrics;

namespace Lagesbild.Server.Live;

/// <summary>What live delivery reports about itself: changes, latency, clients, resyncs and slow clients.</summary>
public sealed class LiveMetrics
{
    public const string MeterName = "Lagesbild.Live";

    private readonly Counter<long> _changes;
    private readonly Histogram<double> _pushLatency;
    private readonly Counter<long> _joins;
    private readonly Counter<long> _resyncs;
    private readonly Counter<long> _droppedDeltas;
    private readonly Counter<long> _droppedBytes;
    private readonly Counter<long> _snapshots;
    private readonly Histogram<long> _snapshotBytes;
    private readonly Counter<long> _timeouts;
    private readonly Counter<long> _gapFills;
    private long _highestQueuedBytes;
    private long _resyncCount;
    private long _droppedDeltaCount;
    private long _droppedByteCount;
    private long _timeoutCount;
    private long _deltasFramed;
    private int _coalescingPictures;

    /// <summary>Totals since this node started, for the stats endpoint.</summary>
    public (long Resyncs, long DroppedDeltas, long DroppedBytes, long TimedOut) Totals =>
        (Interlocked.Read(ref _resyncCount), Interlocked.Read(ref _droppedDeltaCount), Interlocked.Read(ref _droppedByteCount), Interlocked.Read(ref _timeoutCount));

    public LiveMetrics(IMeterFactory meters, LiveConnections connections)
    {
        var meter = meters.Create(MeterName);
        _changes = meter.CreateCounter<long>("lagesbild.changes", "{change}", "Changes applied to this node's pictures.");
        _pushLatency = meter.CreateHistogram<double>("lagesbild.push.latency", "ms", "From a change's acceptance to its write to a connection.");
        _joins = meter.CreateCounter<long>("lagesbild.joins", "{join}", "Connections joining a picture, by how they started (snapshot, resume, live).");
        _resyncs = meter.CreateCounter<long>("lagesbild.resyncs", "{resync}", "Connections that fell too far behind and were sent a fresh snapshot.");
        _droppedDeltas = meter.CreateCounter<long>("lagesbild.dropped.deltas", "{delta}", "Queued deltas dropped for connections that fell behind.");
        _droppedBytes = meter.CreateCounter<long>("lagesbild.dropped.bytes", "By", "Bytes of queued deltas dropped for connections that fell behind.");
        _snapshots = meter.CreateCounter<long>("lagesbild.snapshots", "{snapshot}", "Snapshots sent.");
        _snapshotBytes = meter.CreateHistogram<long>("lagesbild.snapshot.size", "By", "The size of each snapshot sent: what a map's join costs.");
        _timeouts = meter.CreateCounter<long>("lagesbild.write.timeouts", "{connection}", "Connections closed because a write did not complete in time.");
        _gapFills = meter.CreateCounter<long>("lagesbild.gap.fills", "{entry}", "Entries read from the loggbok because pub/sub did not bring them.");
        meter.CreateObservableGauge("lagesbild.clients", () => connections.Count, "{connection}", "Live connections to this node.");
        meter.CreateObservableGauge("lagesbild.clients.behind", () => connections.Feeds.Count(f => f.IsBehind), "{connection}",
            "Connections with deltas waiting or a resync pending (slow clients now).");
        meter.CreateObservableGauge("lagesbild.queue.highest", () => Interlocked.Exchange(ref _highestQueuedBytes, 0), "By",
            "The highest outbound queue of any connection since the last reading.");
        meter.CreateObservableGauge("lagesbild.pictures.coalescing", () => Volatile.Read(ref _coalescingPictures), "{picture}",
            "Pictures whose deltas are coalesced per connection because of the delivery rate.");
    }

    public void Coalescing(bool on) => Interlocked.Add(ref _coalescingPictures, on ? 1 : -1);

    /// <summary>Pictures whose deltas are coalesced right now.</summary>
    public int CoalescingPictures => Volatile.Read(ref _coalescingPictures);

    public void EntryApplied() => _changes.Add(1);
    public void Joined(string mode) => _joins.Add(1, new KeyValuePair<string, object?>("mode", mode));
    public void Resynced()
    {
        _resyncs.Add(1);
        Interlocked.Increment(ref _resyncCount);
    }

    public void SnapshotSent(int bytes)
    {
        _snapshots.Add(1);
        _snapshotBytes.Record(bytes);
    }
    public void TimedOut()
    {
        _timeouts.Add(1);
        Interlocked.Increment(ref _timeoutCount);
    }

    public void GapFilled(int entries) => _gapFills.Add(entries);

    /// <summary>A delta serialized into a hub message (once per readership, however many connections watch).</summary>
    public void DeltaFramed() => Interlocked.Increment(ref _deltasFramed);

    public long DeltasFramed => Interlocked.Read(ref _deltasFramed);

    public void Dropped(int deltas, long bytes)
    {
        _droppedDeltas.Add(deltas);
        _droppedBytes.Add(bytes);
        Interlocked.Add(ref _droppedDeltaCount, deltas);
        Interlocked.Add(ref _droppedByteCount, bytes);
    }

    public void Queued(long bytes)
    {
        var highest = Interlocked.Read(ref _highestQueuedBytes);
        while (bytes > highest)
        {
            var seen = Interlocked.CompareExchange(ref _highestQueuedBytes, bytes, highest);
            if (seen == highest)
                break;
            highest = seen;
        }
    }

    public void Delivered(LiveEntry entry)
    {
        if (_pushLatency.Enabled)
            _pushLatency.Record((DateTimeOffset.UtcNow - entry.At).TotalMilliseconds);
    }
}
