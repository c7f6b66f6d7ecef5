using Lagesbild.Server.Access;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Lagesbild.Server.Live;

/// <summary>
/// Delivery to one connection. The picture's dispatcher only ever enqueues here, never
/// waits; a pump writes to the socket when there is something to write. The queue is
/// bounded: a connection that falls further behind loses its queued deltas and gets a fresh
/// snapshot instead, so it is never silently missing a change and never holds memory
/// without limit.
/// </summary>
public sealed class ClientFeed(ILiveConnection connection, PictureFeed picture, LiveOptions options, LiveMetrics metrics, Readership readership)
{
    /// <summary>What a connection starts with, before any delta: a snapshot, or the entries it missed.</summary>
    private abstract record First;
    private sealed record FreshSnapshot : First;
    private sealed record Resume(long AfterSeq, string? AfterEventId, long ThroughSeq) : First;

    /// <summary>At most this many queued deltas go out in one write.</summary>
    private const int MaxRun = 64;

    private readonly object _gate = new();
    /// <summary>
    /// The deltas waiting, as the picture's entries themselves: at ten thousand maps every
    /// change passes through ten thousand of these queues, so nothing is allocated per
    /// connection on the way (the queue's array is reused).
    /// </summary>
    private readonly Queue<LiveEntry> _queue = new();
    private First? _first;
    /// <summary>The run the pump is writing; only the pump touches it, one write at a time. Made at the first run: most idle connections never need it.</summary>
    private List<LiveEntry>? _run;
    private long _queuedBytes;
    private bool _pumping;
    private bool _resync;
    private bool _closed;
    private long _lastSent;
    private static int s_phases;

    /// <summary>This connection's turn when deltas are coalesced (see <see cref="LiveOptions.CoalesceMilliseconds"/>).</summary>
    public int Phase { get; } = Interlocked.Increment(ref s_phases) & int.MaxValue;

    /// <summary>Where the picture's <see cref="Watchers"/> keeps this connection; -1 when it is not watching. Under the picture's lock.</summary>
    internal int WatcherSlot = -1;

    public ILiveConnection Connection => connection;
    public PictureFeed Picture => picture;
    public string ConnectionId => connection.ConnectionId;
    public int QueuedMessages { get { lock (_gate) return _queue.Count + (_first is null ? 0 : 1); } }
    public long QueuedBytes { get { lock (_gate) return _queuedBytes; } }
    public bool IsBehind { get { lock (_gate) return _resync || _first is not null || _queue.Count > 0; } }

    /// <summary>Starts with a snapshot, or with the entries after the client's last one.</summary>
    public string Start(long? afterSeq, string? afterEventId)
    {
        var mode = "snapshot";
        picture.Attach(this, seq =>
        {
            if (afterSeq is { } after && after <= seq && seq - after <= options.MaxCatchUpEntries)
            {
                mode = after == seq ? "live" : "resume";
                StartWith(new Resume(after, afterEventId, seq));
            }
            else
            {
                StartWith(new FreshSnapshot());
            }
        });
        metrics.Joined(mode);
        return mode;
    }

    /// <summary>
    /// Called by the picture's dispatcher. When the connection is idle the delta is written
    /// right here (on our WebSocket path the shared bytes go straight to the socket's send),
    /// so a keeping-up client costs no task and no thread hop. Only a write that does not
    /// complete at once leaves a pump behind, and only for this connection.
    /// </summary>
    /// <remarks>
    /// With <paramref name="wait"/> the delta only queues, and goes out at the connection's
    /// next turn (<see cref="Flush"/>) together with whatever else has queued by then.
    /// </remarks>
    public void Enqueue(LiveEntry entry, bool wait = false)
    {
        lock (_gate)
        {
            if (_closed)
                return;
            if (_queue.Count >= options.MaxPendingMessages || _queuedBytes + entry.Size > options.MaxPendingBytes)
            {
                // Too far behind: what is queued is worth less than a fresh snapshot.
                metrics.Dropped(_queue.Count, _queuedBytes);
                _queue.Clear();
                _queuedBytes = 0;
                _first = null;
                _resync = true;
                return;
            }
            // While a resync is pending, new deltas still queue: the snapshot either includes
            // them (and they are skipped) or they follow it.
            _queue.Enqueue(entry);
            _queuedBytes += entry.Size;
            metrics.Queued(_queuedBytes);
            if (_pumping || wait)
                return;
            _pumping = true;
        }
        _ = PumpAsync();
    }

    /// <summary>Writes what has queued for this connection, unless a write is already under way.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_closed || _pumping || (_queue.Count == 0 && _first is null && !_resync))
                return;
            _pumping = true;
        }
        _ = PumpAsync();
    }

    /// <summary>Called under the picture's lock while attaching: the first thing this connection gets, off the dispatcher's thread.</summary>
    private void StartWith(First first)
    {
        lock (_gate)
        {
            if (_closed)
                return;
            _first = first;
            if (_pumping)
                return;
            _pumping = true;
        }
        _ = Task.Run(PumpAsync);
    }

    private enum Next { Snapshot, First, Delta, Run }

    private async Task PumpAsync()
    {
        while (true)
        {
            Next next;
            First? first = null;
            LiveEntry? delta = null;
            lock (_gate)
            {
                if (_closed)
                {
                    _pumping = false;
                    return;
                }
                if (_resync)
                {
                    _resync = false;
                    next = Next.Snapshot;
                    metrics.Resynced();
                }
                else if (_first is not null)
                {
                    (first, _first) = (_first, null);
                    next = Next.First;
                }
                else if (!_queue.TryDequeue(out delta))
                {
                    _pumping = false;
                    return;
                }
                else
                {
                    next = Next.Delta;
                    _queuedBytes -= delta.Size;
                    // The deltas queued right behind it, in sequence, go out in the same write.
                    if (delta.Seq == _lastSent + 1 && _queue.TryPeek(out var following) && following.Seq == delta.Seq + 1)
                    {
                        next = Next.Run;
                        _run ??= [];
                        _run.Clear();
                        _run.Add(delta);
                        while (_run.Count < MaxRun && _queue.TryPeek(out following) && following.Seq == _run[^1].Seq + 1)
                        {
                            _queue.Dequeue();
                            _queuedBytes -= following.Size;
                            _run.Add(following);
                        }
                    }
                }
            }

            try
            {
                await (next switch
                {
                    Next.Snapshot => SendSnapshotAsync(),
                    Next.First => StartAsync(first!),
                    Next.Run => SendRunAsync(),
                    _ => DeliverAsync(delta!),
                });
            }
            catch (Exception) when (connection.ConnectionAborted.IsCancellationRequested)
            {
                Close();
                return;
            }
            catch (Exception) when (_closed)
            {
                return;
            }
        }
    }

    private async Task StartAsync(First first)
    {
        if (first is not Resume resume)
        {
            await SendSnapshotAsync();
            return;
        }
        var entries = await picture.EntriesAsync(resume.AfterSeq, resume.AfterEventId, resume.ThroughSeq);
        if (entries is null)
        {
            await SendSnapshotAsync();
            return;
        }
        _lastSent = resume.AfterSeq;
        foreach (var entry in entries)
            await SendAsync(entry);
    }

    private async Task SendRunAsync()
    {
        var run = _run!;
        await WriteAsync(picture.Run(run, readership));
        _lastSent = run[^1].Seq;
        foreach (var entry in run)
            metrics.Delivered(entry);
        // Emptied once written, so an idle connection keeps no entries alive; the pump also
        // empties it before gathering, for a write that threw before reaching here.
        run.Clear();
    }

    private async Task DeliverAsync(LiveEntry entry)
    {
        if (entry.Seq <= _lastSent)
            return;
        if (entry.Seq == _lastSent + 1)
        {
            await SendAsync(entry);
            return;
        }
        // Something between was dropped for this connection; fill it or start over.
        var missing = await picture.EntriesAsync(_lastSent, null, entry.Seq - 1);
        if (missing is null || missing.Count > options.MaxCatchUpEntries)
        {
            await SendSnapshotAsync();
            if (entry.Seq == _lastSent + 1)
                await SendAsync(entry);
            return;
        }
        foreach (var earlier in missing)
            await SendAsync(earlier);
        await SendAsync(entry);
    }

    private async Task SendAsync(LiveEntry entry)
    {
        if (entry.Seq <= _lastSent)
            return;
        await WriteAsync(entry.MessageFor(readership));
        _lastSent = entry.Seq;
        metrics.Delivered(entry);
    }

    private async Task SendSnapshotAsync()
    {
        var snapshot = picture.CurrentSnapshotMessage();
        await WriteAsync(snapshot.Message);
        _lastSent = snapshot.Seq;
        metrics.SnapshotSent(snapshot.Bytes);
    }

    public Task NoticeAsync(string kind, string message) =>
        WriteAsync(new SerializedHubMessage(new InvocationMessage(HubMethods.Notice, [new { kind, message }]))).AsTask();

    private ValueTask WriteAsync(SerializedHubMessage message)
    {
        var write = connection.WriteAsync(message);
        return write.IsCompletedSuccessfully ? ValueTask.CompletedTask : Await(write);

        async ValueTask Await(ValueTask pending)
        {
            // Watched by the node's sweep (<see cref="IsStuck"/>) instead of a timer per write.
            Interlocked.Exchange(ref _writePendingSince, Environment.TickCount64);
            try
            {
                await pending;
            }
            finally
            {
                Interlocked.Exchange(ref _writePendingSince, 0);
            }
        }
    }

    private long _writePendingSince;

    /// <summary>
    /// True when a write to this connection has waited longer than the write timeout: the
    /// client has stopped taking data (a frozen device, a dead link) and is closed.
    /// </summary>
    public bool AbortIfStuck(long now)
    {
        var since = Interlocked.Read(ref _writePendingSince);
        if (since == 0 || now - since < options.WriteTimeoutSeconds * 1000L)
            return false;
        metrics.TimedOut();
        connection.Abort();
        Close();
        return true;
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _queue.Clear();
            _first = null;
            _queuedBytes = 0;
        }
        picture.Detach(this);
    }
}
