using Lagesbild.Server.Access;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Grains.Picture;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Lagesbild.Server.Live;

/// <summary>
/// One picture as this node sees it: the current record of every entity, built strictly in
/// sequence order from the loggbok, and the connections watching it. Entries arrive over
/// pub/sub in any order (and may be lost); a gap is waited for briefly, then read from the
/// loggbok, so every connection sees every entry exactly once and in order.
/// </summary>
public sealed class PictureFeed
{
    public static readonly System.Diagnostics.ActivitySource Activity = new("Lagesbild.Live");

    private readonly object _gate = new();
    private readonly Dictionary<string, (long Seq, string Record, string State)> _records = new(StringComparer.Ordinal);
    private readonly LiveEntry?[] _recent;
    private readonly SortedDictionary<long, LiveEntry> _early = [];
    private readonly Watchers _watchers = new();
    private readonly PictureStore _store;
    private readonly LiveMetrics _metrics;
    private readonly LiveOptions _options;
    private long _seq;
    private string? _eventId;
    private long _earlySince;
    private SnapshotMessage? _snapshotMessage;
    private readonly DeliveryTurns _turns;

    private readonly IHubProtocol _protocol;
    private readonly object _runsGate = new();
    private readonly Dictionary<(long First, long Last, Readership Readership), SerializedHubMessage> _runs = [];

    private readonly PictureChanges? _changes;

    public PictureFeed(string picture, PictureStore store, LiveOptions options, LiveMetrics metrics, IHubProtocol protocol, TimeProvider clock, PictureChanges? changes = null)
    {
        _changes = changes;
        _turns = new DeliveryTurns(options, clock);
        _protocol = protocol;
        Keys = new PictureKeys(picture);
        _store = store;
        _options = options;
        _metrics = metrics;
        _recent = new LiveEntry?[options.RecentEntries];
    }

    public PictureKeys Keys { get; }
    public string Picture => Keys.Picture;

    /// <summary>
    /// The sequence number the picture is at, read without the picture's lock: the public view
    /// asks on every request, and must never wait for a fan-out to ten thousand maps.
    /// </summary>
    public long Seq => Volatile.Read(ref _seq);

    /// <summary>Loads the picture from the store; entries that arrive meanwhile wait in order.</summary>
    public async Task LoadAsync()
    {
        var (seq, lastEntry, records) = await _store.ReadPictureAsync(Keys);
        lock (_gate)
        {
            foreach (var record in records)
            {
                using var document = JsonDocument.Parse(record);
                var root = document.RootElement;
                var key = $"{root.GetProperty("kind").GetString()}/{root.GetProperty("id").GetString()}";
                _records[key] = (root.GetProperty("seq").GetInt64(), record, root.GetProperty("state").GetRawText());
            }
            _seq = seq;
            _eventId = lastEntry is null ? null : LiveEntry.Parse(lastEntry).EventId;
            DrainEarly();
        }
    }

    /// <summary>An entry announced over pub/sub, or read back from the loggbok.</summary>
    public void Offer(LiveEntry entry)
    {
        lock (_gate)
        {
            if (entry.Seq <= _seq)
                return;
            PushStages.Mark(entry.Seq, PushStages.Stage.Offered);
            if (entry.Seq > _seq + 1)
            {
                if (_early.Count == 0)
                    _earlySince = Environment.TickCount64;
                _early.TryAdd(entry.Seq, entry);
                return;
            }
            Apply(entry);
            DrainEarly();
        }
    }

    private void DrainEarly()
    {
        while (_early.Count > 0)
        {
            var first = _early.First();
            if (first.Key <= _seq)
            {
                _early.Remove(first.Key);
                continue;
            }
            if (first.Key != _seq + 1)
                return;
            _early.Remove(first.Key);
            Apply(first.Value);
        }
        _earlySince = 0;
    }

    private void Apply(LiveEntry entry)
    {
        // The push continues the trace of the request that made the change.
        System.Diagnostics.ActivityContext.TryParse(entry.TraceParent, null, out var parent);
        using var activity = Activity.StartActivity("push", System.Diagnostics.ActivityKind.Producer, parent);
        activity?.SetTag("lagesbild.seq", entry.Seq);
        var watchers = _watchers.Current;
        activity?.SetTag("lagesbild.clients", watchers.Count);
        _records[entry.EntityKey] = (entry.Seq, entry.Record, entry.State);
        _seq = entry.Seq;
        _eventId = entry.EventId;
        _recent[entry.Seq % _recent.Length] = entry;
        _metrics.EntryApplied();
        _turns.Counted();
        var wait = _turns.Coalescing;
        for (var i = 0; i < watchers.Used; i++)
            watchers.Slots[i]?.Enqueue(entry, wait);
        PushStages.Mark(entry.Seq, PushStages.Stage.Pushed);
        _changes?.Changed();
    }

    /// <summary>
    /// Called regularly: reads from the loggbok what pub/sub did not bring — a gap that
    /// lasted too long, or entries after the last one announced.
    /// </summary>
    public async Task CatchUpAsync(bool checkTail)
    {
        long from, through;
        lock (_gate)
        {
            from = _seq;
            through = _early.Count > 0 && Environment.TickCount64 - _earlySince >= _options.GapWaitMilliseconds
                ? _early.First().Key - 1
                : 0;
        }
        if (through == 0 && checkTail)
            through = await _store.CurrentSeqAsync(Keys);
        if (through <= from)
            return;
        var entries = await _store.ReadEntriesAsync(Keys, from, through);
        _metrics.GapFilled(entries.Length);
        foreach (var entry in entries)
            Offer(LiveEntry.Parse(entry));
    }

    /// <summary>Starts delivering to a connection. Returns the sequence number it is caught up to from here on.</summary>
    public long Attach(ClientFeed client, Action<long> firstItems)
    {
        lock (_gate)
        {
            _watchers.Add(client);
            // Inside the lock: nothing can be applied between the first items and the live deltas.
            firstItems(_seq);
            return _seq;
        }
    }

    /// <summary>
    /// Called once a slot (<see cref="DeliveryTurns.SlotMilliseconds"/>): while deltas are
    /// coalesced, writes the queued deltas of the connections whose turn came since the last
    /// call (<see cref="DeliveryTurns"/> decides).
    /// </summary>
    public void FlushDue()
    {
        var watchers = _watchers.Current;
        var due = _turns.Next(watchers.Count);
        if (due.Switched)
            _metrics.Coalescing(_turns.Coalescing);
        if (due.Kind == DueKind.None)
            return;
        for (var i = 0; i < watchers.Used; i++)
        {
            if (watchers.Slots[i] is { } client && due.Includes(client.Phase))
                client.Flush();
        }
    }

    /// <summary>Closes the connections whose writes have been stuck past the write timeout.</summary>
    public void SweepStuckWrites()
    {
        var now = Environment.TickCount64;
        var watchers = _watchers.Current;
        for (var i = 0; i < watchers.Used; i++)
            watchers.Slots[i]?.AbortIfStuck(now);
    }

    public void Detach(ClientFeed client)
    {
        lock (_gate)
        {
            _watchers.Remove(client);
        }
    }

    /// <summary>Every entity's state as stored (<c>Kind/id</c> → state JSON), and the sequence number it reflects.</summary>
    public (long Seq, KeyValuePair<string, string>[] States) States()
    {
        lock (_gate)
            return (_seq, _records.Select(r => KeyValuePair.Create(r.Key, r.Value.State)).ToArray());
    }

    /// <summary>Every entity's state with the loggbok entry that made it (<c>Kind/id</c>, seq, state JSON), and the sequence number they reflect.</summary>
    public (long Seq, (string Key, long Seq, string State)[] States) SourcedStates()
    {
        lock (_gate)
            return (_seq, _records.Select(r => (r.Key, r.Value.Seq, r.Value.State)).ToArray());
    }

    /// <summary>The whole picture as JSON, and the sequence number it reflects.</summary>
    public (long Seq, byte[] Json) Snapshot()
    {
        string[] records;
        long seq;
        string? eventId;
        lock (_gate)
        {
            seq = _seq;
            eventId = _eventId;
            records = _records.Values.Select(r => r.Record).ToArray();
        }
        return (seq, SnapshotJson(Picture, seq, eventId, records));
    }

    /// <summary>The Snapshot shape: a picture's records as of a sequence number (live here, or replayed).</summary>
    public static byte[] SnapshotJson(string picture, long seq, string? eventId, IEnumerable<string> records)
    {
        using var stream = new MemoryStream(64 * 1024);
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("picture", picture);
            writer.WriteNumber("seq", seq);
            writer.WriteString("eventId", eventId);
            writer.WriteStartArray("entities");
            foreach (var record in records)
                writer.WriteRawValue(record, skipInputValidation: true);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// The snapshot as a hub message, built and serialized once per sequence number and shared
    /// by every connection that joins (or resyncs) while the picture stays at that number: ten
    /// thousand maps reconnecting after a restart cost one snapshot, not ten thousand.
    /// </summary>
    public SnapshotMessage CurrentSnapshotMessage()
    {
        lock (_gate)
        {
            if (_snapshotMessage is { } cached && cached.Seq == _seq)
                return cached;
        }
        var (seq, json) = Snapshot();
        var built = new SnapshotMessage(seq, new SerializedHubMessage(new InvocationMessage(HubMethods.Snapshot, [new RawJson(json)])), json.Length);
        lock (_gate)
        {
            if (_snapshotMessage is null || _snapshotMessage.Seq < seq)
                _snapshotMessage = built;
        }
        return built;
    }

    /// <summary>
    /// Consecutive entries as one write: their delta messages, each serialized once, back to
    /// back (the hub protocol separates messages, so every client reads them as usual). A
    /// connection that has several deltas waiting then costs one socket send, not one per
    /// delta. Connections whose turns coincide wait for the same entries, so a run is built
    /// once and shared.
    /// </summary>
    public SerializedHubMessage Run(IReadOnlyList<LiveEntry> entries, Readership readership)
    {
        var key = (entries[0].Seq, entries[^1].Seq, readership);
        lock (_runsGate)
        {
            if (_runs.TryGetValue(key, out var cached))
                return cached;
        }
        var run = BuildRun(entries, readership);
        lock (_runsGate)
        {
            // Runs are only shared between turns close together; old ones are not asked for again.
            if (_runs.Count >= 256)
                _runs.Clear();
            _runs[key] = run;
        }
        return run;
    }

    /// <summary>Kept apart from <see cref="Run"/>: its closure would otherwise be allocated on every call, cached or not.</summary>
    private SerializedHubMessage BuildRun(IReadOnlyList<LiveEntry> entries, Readership readership)
    {
        var parts = entries.Select(e => e.MessageFor(readership).GetSerializedMessage(_protocol)).ToArray();
        var length = parts.Sum(p => p.Length);
        // One array for both: the WebSocket frame (HubSocket), and inside it the JSON alone (SignalR's connections).
        var headerLength = WebSocketFrames.HeaderLength(length);
        var frame = new byte[headerLength + length];
        WebSocketFrames.WriteHeader(frame, WebSocketFrames.Text, length);
        var at = headerLength;
        foreach (var part in parts)
        {
            part.Span.CopyTo(frame.AsSpan(at));
            at += part.Length;
        }
        return new SerializedHubMessage([new SerializedMessage(_protocol.Name, frame.AsMemory(headerLength)), new SerializedMessage(WebSocketFrames.FramedProtocolName, frame)]);
    }

    /// <summary>
    /// Entries after <paramref name="afterSeq"/> through <paramref name="throughSeq"/>, from
    /// memory when this node still holds them, else from the loggbok; null when the entry at
    /// afterSeq is not <paramref name="afterEventId"/> (the client saw a different history).
    /// </summary>
    public async Task<IReadOnlyList<LiveEntry>?> EntriesAsync(long afterSeq, string? afterEventId, long throughSeq)
    {
        var list = new List<LiveEntry>();
        var needStore = false;
        lock (_gate)
        {
            if (afterEventId is not null && afterSeq > 0)
            {
                var at = _recent[afterSeq % _recent.Length];
                if (at is { } known && known.Seq == afterSeq && known.EventId != afterEventId)
                    return null;
                needStore |= at is null || at.Seq != afterSeq;
            }
            for (var seq = afterSeq + 1; seq <= throughSeq && !needStore; seq++)
            {
                var entry = _recent[seq % _recent.Length];
                if (entry is null || entry.Seq != seq)
                    needStore = true;
                else
                    list.Add(entry);
            }
        }
        if (!needStore)
            return list;

        var from = afterEventId is not null && afterSeq > 0 ? afterSeq - 1 : afterSeq;
        var stored = (await _store.ReadEntriesAsync(Keys, from, throughSeq)).Select(LiveEntry.Parse).ToList();
        if (afterEventId is not null && afterSeq > 0)
        {
            if (stored.Count == 0 || stored[0].Seq != afterSeq || stored[0].EventId != afterEventId)
                return null;
            stored.RemoveAt(0);
        }
        return stored.Count == throughSeq - afterSeq ? stored : null;
    }

    /// <summary>
    /// A fingerprint of the picture: every entity's key, sequence number and state. Two
    /// pictures with the same digest show the same thing.
    /// </summary>
    public static string Digest(IEnumerable<(string Key, long Seq, string State)> records)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (key, seq, state) in records.OrderBy(r => r.Key, StringComparer.Ordinal))
            hash.AppendData(Encoding.UTF8.GetBytes($"{key}\t{seq}\t{state}\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}

/// <summary>A snapshot ready to send: the sequence number it reflects, the message, and its JSON size.</summary>
public sealed record SnapshotMessage(long Seq, SerializedHubMessage Message, int Bytes);
