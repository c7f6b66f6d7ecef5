using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lagesbild.Testing;

/// <summary>
/// A real .NET SignalR client that keeps a picture the way the map does: a snapshot, then
/// deltas applied strictly in order. It records everything it receives so tests can check
/// order, gaps, duplicates and latency, and compares its picture with the server's by digest.
/// </summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (long Seq, string State)> _records = new(StringComparer.Ordinal);
    private readonly List<Received> _deltas = [];
    private readonly HubConnection _connection;
    private readonly string _picture;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstSnapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One delta as it arrived: its sequence number, when it was accepted and when it arrived.</summary>
    public sealed record Received(long Seq, string EventId, string Type, DateTimeOffset At, DateTimeOffset ReceivedAt);

    public LiveClient(Uri server, string picture = "live", bool reconnect = true, TimeSpan? serverTimeout = null, string? token = null, Uri? signInAt = null, string user = "anna")
    {
        _picture = picture;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "hubs/picture"), options =>
            {
                // No negotiate round trip: behind a balancer the WebSocket may land on another node.
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                // Signed in as a demo user unless the test brings its own token (or none: "").
                options.AccessTokenProvider = () => Task.FromResult<string?>(token ?? DevTokens.Get(signInAt ?? server, user));
            })
            .WithServerTimeout(serverTimeout ?? TimeSpan.FromSeconds(10))
            .WithKeepAliveInterval(TimeSpan.FromSeconds(3));
        if (reconnect)
            builder.WithAutomaticReconnect(new Forever());
        _connection = builder.Build();
        _connection.On<JsonElement>("snapshot", OnSnapshot);
        _connection.On<JsonElement>("delta", OnDelta);
        _connection.Reconnected += async _ => await JoinAsync();
    }

    public long LastSeq { get; private set; }
    public string? LastEventId { get; private set; }
    public int Snapshots { get; private set; }
    public int Gaps { get; private set; }
    public int Duplicates { get; private set; }
    public string? LastJoinMode { get; private set; }
    public HubConnectionState State => _connection.State;
    public HubConnection Connection => _connection;

    public IReadOnlyList<Received> Deltas
    {
        get { lock (_gate) return _deltas.ToArray(); }
    }

    /// <summary>Connects, joins the picture and waits for the first snapshot, which may arrive after Join's answer.</summary>
    public async Task ConnectAsync()
    {
        await _connection.StartAsync();
        await JoinAsync();
        await _firstSnapshot.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task StopAsync() => _connection.StopAsync();

    public async Task JoinAsync()
    {
        long? after;
        string? eventId;
        lock (_gate)
        {
            after = Snapshots == 0 ? null : LastSeq;
            eventId = LastEventId;
        }
        var answer = await _connection.InvokeAsync<JsonElement>("Join", _picture, after, eventId);
        LastJoinMode = answer.GetProperty("mode").GetString();
    }

    public Task<JsonElement> SendAsync(string target, object command) =>
        _connection.InvokeAsync<JsonElement>("Send", _picture, target, command);

    private void OnSnapshot(JsonElement snapshot)
    {
        lock (_gate)
        {
            _records.Clear();
            foreach (var record in snapshot.GetProperty("entities").EnumerateArray())
                _records[$"{record.GetProperty("kind").GetString()}/{record.GetProperty("id").GetString()}"] = (record.GetProperty("seq").GetInt64(), record.GetProperty("state").GetRawText());
            LastSeq = snapshot.GetProperty("seq").GetInt64();
            LastEventId = snapshot.GetProperty("eventId").GetString();
            Snapshots++;
            Signal();
            _firstSnapshot.TrySetResult();
        }
    }

    private void OnDelta(JsonElement entry)
    {
        var receivedAt = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            var seq = entry.GetProperty("seq").GetInt64();
            if (seq <= LastSeq)
            {
                Duplicates++;
                return;
            }
            if (seq != LastSeq + 1)
            {
                // The protocol says: never apply past a gap; ask to resume instead.
                Gaps++;
                _ = JoinAsync();
                return;
            }
            var entity = entry.GetProperty("entity");
            _records[$"{entity.GetProperty("kind").GetString()}/{entity.GetProperty("id").GetString()}"] = (seq, entry.GetProperty("state").GetRawText());
            LastSeq = seq;
            LastEventId = entry.GetProperty("id").GetString();
            _deltas.Add(new Received(seq, LastEventId!, entry.GetProperty("type").GetString()!, entry.GetProperty("at").GetDateTimeOffset(), receivedAt));
            Signal();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    /// <summary>Waits until the client's picture reflects at least <paramref name="seq"/>.</summary>
    public async Task WaitForSeqAsync(long seq, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (LastSeq >= seq)
                    return;
                changed = _changed.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"Client reached {LastSeq}, not {seq}, in time.");
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    /// <summary>The same fingerprint the server computes: key, sequence number and state of every entity.</summary>
    public string Digest()
    {
        lock (_gate)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var (key, (seq, state)) in _records.OrderBy(r => r.Key, StringComparer.Ordinal))
                hash.AppendData(Encoding.UTF8.GetBytes($"{key}\t{seq}\t{state}\n"));
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
    }

    public string? StateOf(string key)
    {
        lock (_gate)
            return _records.TryGetValue(key, out var record) ? record.State : null;
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private sealed class Forever : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) =>
            TimeSpan.FromMilliseconds(Math.Min(2000, 100 * (retryContext.PreviousRetryCount + 1)));
    }
}
