using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Lagesbild.Bench.Measure;

namespace Lagesbild.Bench.Clients;

/// <summary>
/// A SignalR client with only what a map needs: the JSON hub protocol over one real
/// WebSocket (<see cref="HubTransport"/>), without negotiation (as the .NET and JS clients do
/// with SkipNegotiation). Handshake <c>{"protocol":"json","version":1}</c>, then <c>Join</c>,
/// then hub messages separated by 0x1E. It reads of each delta only seq, id and at, so ten
/// thousand of them fit beside the server on two cores; <see cref="HubConnectionClient"/> is
/// the full client.
/// </summary>
public sealed class HubSocketClient(Uri server, string token, HubTransport transport, LatencyHistogram latencies) : PictureClient(latencies)
{
    private const byte Separator = 0x1E;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _join;
    private TaskCompletionSource? _stalled;
    private ArrayBufferWriter<byte>? _partial;
    private int _invocations;

    public override async Task ConnectAsync(CancellationToken cancellationToken)
    {
        // Browsers cannot set headers on a WebSocket, so SignalR clients send the token in the query.
        var hub = new UriBuilder(new Uri(server, "hubs/picture"))
        {
            Scheme = server.Scheme == "https" ? "wss" : "ws",
            Query = "access_token=" + Uri.EscapeDataString(token),
        }.Uri;
        await transport.ConnectAsync(hub, cancellationToken);
        await SendAsync(Handshake);
        _ = ReceiveLoopAsync();
        await _handshake.Task.WaitAsync(cancellationToken);
        await InvokeJoinAsync(null, null).WaitAsync(cancellationToken);
        await FirstSnapshot.WaitAsync(cancellationToken);
    }

    protected override async Task InvokeJoinAsync(long? afterSeq, string? afterEventId)
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _join = answer;
        var id = Interlocked.Increment(ref _invocations);
        var message = $"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"Join\",\"arguments\":[\"{Picture}\",{(afterSeq is { } seq ? seq.ToString() : "null")},{JsonSerializer.Serialize(afterEventId)}]}}\u001e";
        await SendAsync(Encoding.UTF8.GetBytes(message));
        await answer.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public override Task PingAsync() => ClosedBecause is null ? SendAsync(Ping) : Task.CompletedTask;

    public override void Stall() => _stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public override void Resume() => Interlocked.Exchange(ref _stalled, null)?.TrySetResult();

    private async Task SendAsync(byte[] message)
    {
        try
        {
            await transport.SendAsync(message);
        }
        catch (Exception error) when (error is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            OnClosed($"send failed: {error.Message}");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        // A delta is about 1.1 KB; a snapshot (32 KB) spans several reads and is gathered in _partial.
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                if (_stalled is { } stalled)
                    await stalled.Task;
                var count = await transport.ReceiveAsync(buffer.AsMemory());
                var receivedAt = DateTimeOffset.UtcNow;
                if (count == 0)
                {
                    Fail(new IOException(transport.CloseReason ?? "closed"));
                    return;
                }
                Bytes += count;
                Consume(buffer.AsSpan(0, count), receivedAt);
            }
        }
        catch (Exception error)
        {
            Fail(new IOException($"receive failed: {error.GetType().Name} {error.Message}", error));
        }
    }

    private void Fail(IOException error)
    {
        OnClosed(error.Message);
        _join?.TrySetException(error);
        _handshake.TrySetException(error);
    }

    /// <summary>Splits what arrived into hub messages; a message may span reads.</summary>
    private void Consume(ReadOnlySpan<byte> data, DateTimeOffset receivedAt)
    {
        while (true)
        {
            var end = data.IndexOf(Separator);
            if (end < 0)
            {
                if (!data.IsEmpty)
                {
                    _partial ??= new ArrayBufferWriter<byte>(8192);
                    _partial.Write(data);
                }
                return;
            }
            if (_partial is { WrittenCount: > 0 } partial)
            {
                partial.Write(data[..end]);
                Handle(partial.WrittenSpan, receivedAt);
                // Let a snapshot-sized buffer go: ten thousand of them would be 300 MB.
                _partial = null;
            }
            else
            {
                Handle(data[..end], receivedAt);
            }
            data = data[(end + 1)..];
        }
    }

    private void Handle(ReadOnlySpan<byte> message, DateTimeOffset receivedAt)
    {
        if (!_handshake.Task.IsCompleted)
        {
            if (message.IndexOf("\"error\""u8) >= 0)
                _handshake.TrySetException(new IOException("Handshake refused: " + Encoding.UTF8.GetString(message)));
            else
                _handshake.TrySetResult();
            return;
        }

        var reader = new Utf8JsonReader(message);
        reader.Read();
        var type = 0;
        string? error = null;
        var target = Target.Other;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("target"u8))
            {
                reader.Read();
                target = reader.ValueTextEquals("delta"u8) ? Target.Delta : reader.ValueTextEquals("snapshot"u8) ? Target.Snapshot : Target.Other;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                error = reader.GetString();
            }
            else if (reader.ValueTextEquals("arguments"u8) && target != Target.Other)
            {
                reader.Read(); // [
                reader.Read(); // {
                ReadArgument(ref reader, target, receivedAt);
                return;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        switch (type)
        {
            case 3 when error is not null:
                _join?.TrySetException(new IOException("Join refused: " + error));
                OnClosed("join refused: " + error);
                break;
            case 3:
                _join?.TrySetResult();
                break;
            case 7:
                OnClosed("close message: " + (error ?? "no error"));
                break;
        }
    }

    /// <summary>Reads seq, id and at of a delta (seq and eventId of a snapshot) and stops there.</summary>
    private void ReadArgument(ref Utf8JsonReader reader, Target target, DateTimeOffset receivedAt)
    {
        long seq = -1;
        string? id = null;
        DateTimeOffset? at = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.GetInt64();
            }
            else if (reader.ValueTextEquals(target == Target.Delta ? "id"u8 : "eventId"u8))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (target == Target.Delta && reader.ValueTextEquals("at"u8))
            {
                reader.Read();
                at = reader.GetDateTimeOffset();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
            if (target == Target.Snapshot && seq >= 0 && id is not null)
            {
                OnSnapshot(seq, id);
                return;
            }
            if (target == Target.Delta && seq >= 0 && id is not null && at is { } accepted)
            {
                OnDelta(seq, id, accepted, receivedAt);
                return;
            }
        }
        if (target == Target.Snapshot && seq >= 0)
            OnSnapshot(seq, id);
        else
            OnClosed("unreadable " + target);
    }

    private enum Target { Other, Delta, Snapshot }

    public override ValueTask DisposeAsync()
    {
        Resume();
        transport.Dispose();
        return ValueTask.CompletedTask;
    }
}
