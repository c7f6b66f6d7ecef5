using Lagesbild.Bench.Measure;

namespace Lagesbild.Bench.Clients;

/// <summary>
/// One map's view of the live feed, reduced to bookkeeping: the sequence number it is at,
/// and for each delta whether it came in order and how long after the change was accepted.
/// It follows the protocol as the map does: a gap is never applied past, the client joins
/// again from its last entry. The transports below feed it.
/// </summary>
public abstract class PictureClient(LatencyHistogram latencies) : IAsyncDisposable
{
    private readonly TaskCompletionSource _firstSnapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastSeq = -1;
    private long _windowFrom = long.MaxValue;
    private int _rejoining;

    public const string Picture = "live";

    /// <summary>Where the client was when the measured window started.</summary>
    public long SeqAtStart { get; private set; }
    public long LastSeq => Volatile.Read(ref _lastSeq);
    public string? LastEventId { get; private set; }
    public string? ClosedBecause { get; private set; }

    // Counted since the window started; written by the client's one receive loop only.
    public long Deltas { get; private set; }
    public long Duplicates { get; private set; }
    public long Gaps { get; private set; }
    public long Resyncs { get; private set; }
    /// <summary>Entries a resync snapshot covered instead of deltas: in the picture, but not delivered one by one.</summary>
    public long CoveredBySnapshots { get; private set; }
    /// <summary>Bytes of hub messages received (WebSocket payload), where the transport can count them.</summary>
    public long Bytes { get; protected set; }

    /// <summary>Connects, joins the live picture and returns once its snapshot has arrived.</summary>
    public abstract Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Stops reading from the socket, as a frozen tab or a dead-slow link does.</summary>
    public virtual void Stall() => throw new NotSupportedException($"{GetType().Name} cannot stall.");

    public virtual void Resume()
    {
    }

    public virtual Task PingAsync() => Task.CompletedTask;

    protected abstract Task InvokeJoinAsync(long? afterSeq, string? afterEventId);

    protected Task FirstSnapshot => _firstSnapshot.Task;

    /// <summary>From here on, count what arrives; deltas up to <paramref name="afterSeq"/> are applied but not measured.</summary>
    public void StartWindow(long afterSeq)
    {
        SeqAtStart = afterSeq;
        Deltas = Duplicates = Gaps = Resyncs = CoveredBySnapshots = Bytes = 0;
        Volatile.Write(ref _windowFrom, afterSeq);
    }

    /// <summary>Entries after the window started that reached this client neither as a delta nor inside a snapshot.</summary>
    public long Lost(long finalSeq) => Math.Max(0, finalSeq - SeqAtStart - Deltas - CoveredBySnapshots);

    protected void OnSnapshot(long seq, string? eventId)
    {
        if (_firstSnapshot.Task.IsCompleted)
        {
            Resyncs++;
            CoveredBySnapshots += Math.Max(0, seq - Math.Max(LastSeq, Volatile.Read(ref _windowFrom)));
        }
        LastEventId = eventId;
        Volatile.Write(ref _lastSeq, seq);
        _firstSnapshot.TrySetResult();
    }

    protected void OnDelta(long seq, string eventId, DateTimeOffset at, DateTimeOffset receivedAt)
    {
        var last = LastSeq;
        if (seq <= last)
        {
            Duplicates++;
            return;
        }
        if (seq != last + 1)
        {
            // Never apply past a gap: ask for what is missing, as the protocol says.
            Gaps++;
            if (Interlocked.Exchange(ref _rejoining, 1) == 0)
                _ = RejoinAsync(last, LastEventId);
            return;
        }
        LastEventId = eventId;
        Volatile.Write(ref _lastSeq, seq);
        if (seq <= Volatile.Read(ref _windowFrom))
            return;
        Deltas++;
        latencies.Record(receivedAt - at);
        DeliveryLog?.Add(seq, receivedAt - at);
    }

    /// <summary>Every delivery's latency by sequence number, when <c>LAGESBILD_BENCH_DELIVERIES</c> names a file: to set beside the server's <c>LAGESBILD_STAGE_TIMES</c>.</summary>
    private static readonly DeliveryLog? DeliveryLog = DeliveryLog.FromEnvironment();

    private async Task RejoinAsync(long afterSeq, string? afterEventId)
    {
        try
        {
            await InvokeJoinAsync(afterSeq, afterEventId);
        }
        catch (Exception error)
        {
            OnClosed($"rejoin failed: {error.Message}");
        }
        finally
        {
            Volatile.Write(ref _rejoining, 0);
        }
    }

    protected void OnClosed(string reason)
    {
        ClosedBecause ??= reason;
        _firstSnapshot.TrySetException(new IOException(reason));
    }

    public abstract ValueTask DisposeAsync();
}
