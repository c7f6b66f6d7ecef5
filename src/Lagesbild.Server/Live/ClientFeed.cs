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
    private abstract record Item;
    private sealed record Delta(LiveEntry Entry) : Item;
    private sealed record FreshSnapshot : Item;
    private sealed record Resume(long AfterSeq, string? AfterEventId, long ThroughSeq) : Item;
    private sealed record Run(List<LiveEntry> Entries) : Item;

    /// <summary>At most this many queued deltas go out in one write.</summary>
    private const int MaxRun = 64;

    private readonly object _gate = new();
    private readonly Queue<Item> _queue = new();
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
    public int QueuedMessages { get { lock (_gate) return _queue.Count; } }
    public long QueuedBytes { get { lock (_gate) return _queuedBytes; } }
    public bool IsBehind { get { lock (_gate) return _resync || _queue.Count > 0; } }

    /// <summary>Starts with a snapshot, or with the entries after the client's last one.</summary>
    public string Start(long? afterSeq, string? afterEventId)
    {
        var mode = "snapshot";
        picture.Attach(this, seq =>
        {
            if (afterSeq is { } after && after <= seq && seq - after <= options.MaxCatchUpEntries)
            {
                mode = after == seq ? "live" : "resume";
                EnqueueLocked(new Resume(after, afterEventId, seq), 0);
            }
            else
            {
                EnqueueLocked(new FreshSnapshot(), 0);
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
    public void Enqueue(LiveEntry entry, bool wait = false) => EnqueueLocked(new Delta(entry), entry.Size, inline: true, wait);

    /// <summary>Writes what has queued for this connection, unless a write is already under way.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_closed || _pumping || (_queue.Count == 0 && !_resync))
                return;
            _pumping = true;
        }
        _ = PumpAsync();
    }

    private void EnqueueLocked(Item item, int size, bool inline = false, bool wait = false)
    {
        lock (_gate)
        {
            if (_closed)
                return;
            if (item is Delta && (_queue.Count >= options.MaxPendingMessages || _queuedBytes + size > options.MaxPendingBytes))
            {
                // Too far behind: what is queued is worth less than a fresh snapshot.
                metrics.Dropped(_queue.Count, _queuedBytes);
                _queue.Clear();
                _queuedBytes = 0;
                _resync = true;
                return;
            }
            // While a resync is pending, new deltas still queue: the snapshot either includes
            // them (and they are skipped) or they follow it.
            _queue.Enqueue(item);
            _queuedBytes += size;
            metrics.Queued(_queuedBytes);
            if (_pumping || wait)
                return;
            _pumping = true;
        }
        if (inline)
            _ = PumpAsync();
        else
            _ = Task.Run(PumpAsync);
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            Item item;
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
                    item = new FreshSnapshot();
                    metrics.Resynced();
                }
                else if (!_queue.TryDequeue(out item!))
                {
                    _pumping = false;
                    return;
                }
                else if (item is Delta delta)
                {
                    _queuedBytes -= delta.Entry.Size;
                    // The deltas queued right behind it, in sequence, go out in the same write.
                    if (delta.Entry.Seq == _lastSent + 1 && _queue.TryPeek(out var next) && next is Delta { Entry.Seq: var following } && following == delta.Entry.Seq + 1)
                    {
                        var run = new List<LiveEntry> { delta.Entry };
                        while (run.Count < MaxRun && _queue.TryPeek(out next) && next is Delta { Entry: var entry } && entry.Seq == run[^1].Seq + 1)
                        {
                            _queue.Dequeue();
                            _queuedBytes -= entry.Size;
                            run.Add(entry);
                        }
                        item = new Run(run);
                    }
                }
            }

            try
            {
                await DeliverAsync(item);
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

    private async Task DeliverAsync(Item item)
    {
        switch (item)
        {
            case FreshSnapshot:
                await SendSnapshotAsync();
                break;
            case Resume resume:
                var entries = await picture.EntriesAsync(resume.AfterSeq, resume.AfterEventId, resume.ThroughSeq);
                if (entries is null)
                {
                    await SendSnapshotAsync();
                    break;
                }
                _lastSent = resume.AfterSeq;
                foreach (var entry in entries)
                    await SendAsync(entry);
                break;
            case Run run:
                await WriteAsync(picture.Run(run.Entries, readership));
                _lastSent = run.Entries[^1].Seq;
                foreach (var entry in run.Entries)
                    metrics.Delivered(entry);
                break;
            case Delta { Entry: var entry } when entry.Seq <= _lastSent:
                break;
            case Delta { Entry: var entry } when entry.Seq == _lastSent + 1:
                await SendAsync(entry);
                break;
            case Delta { Entry: var entry }:
                // Something between was dropped for this connection; fill it or start over.
                var missing = await picture.EntriesAsync(_lastSent, null, entry.Seq - 1);
                if (missing is null || missing.Count > options.MaxCatchUpEntries)
                {
                    await SendSnapshotAsync();
                    if (entry.Seq == _lastSent + 1)
                        await SendAsync(entry);
                    break;
                }
                foreach (var earlier in missing)
                    await SendAsync(earlier);
                await SendAsync(entry);
                break;
        }
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
            _queuedBytes = 0;
        }
        picture.Detach(this);
    }
}
