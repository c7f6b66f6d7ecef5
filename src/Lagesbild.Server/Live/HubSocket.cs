using System.Buffers;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Lagesbild.Server.Live;

/// <summary>
/// One live map on our own WebSocket path, speaking SignalR's JSON hub protocol so that the
/// official clients work unchanged. A delta's bytes, framed once for every connection of its
/// readership, go straight from the picture's dispatcher to the socket's send: no copy into a
/// pipe of the connection's own and no hop to a transport's loop. Exactly one send is in flight
/// at a time; a completion or a ping that comes while one is waits behind it. An idle connection
/// holds this object, its socket and a small receive buffer; the node's one timer
/// (<see cref="HubSockets"/>) sends its pings and watches its deadlines.
/// </summary>
public sealed class HubSocket : ILiveConnection
{
    private const byte RecordSeparator = 0x1E;

    /// <summary>
    /// What a pending receive holds. Clients send little (the handshake, a Join, a command, a ping
    /// every 15 s): most messages fit, and a larger one is gathered in a pooled buffer.
    /// </summary>
    private const int ReceiveBufferBytes = 256;

    private readonly HubSockets _node;
    private readonly WebSocket _socket;
    private readonly long _expiresAtUnixMs;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _aborted;
    private Queue<Waiting>? _waiting;
    private bool _sending;
    private bool _ended;
    private bool _handshaken;
    private int _closing;
    private long _closingSince;
    private long _lastSent;
    private long _lastReceived;
    private long _sendPendingSince;

    public HubSocket(HubSockets node, WebSocket socket, ClaimsPrincipal user, string connectionId, DateTimeOffset? expires, string person, string address)
    {
        _node = node;
        _socket = socket;
        User = user;
        ConnectionId = connectionId;
        Person = person;
        Address = address;
        _expiresAtUnixMs = expires?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        _lastSent = _lastReceived = Environment.TickCount64;
    }

    public string ConnectionId { get; }
    public ClaimsPrincipal User { get; }

    /// <summary>Who and from where, as the live-connection caps count them (<see cref="LiveConnectionCap"/>).</summary>
    internal string Person { get; }
    internal string Address { get; }

    public CancellationToken ConnectionAborted
    {
        get
        {
            // Asked only when a write fails; most connections never need the source.
            lock (_gate)
            {
                _aborted ??= new CancellationTokenSource();
                if (_ended)
                    _aborted.Cancel();
                return _aborted.Token;
            }
        }
    }

    public ValueTask WriteAsync(SerializedHubMessage message) => SendAsync(message.GetSerializedMessage(_node.Protocol));

    /// <summary>Ends the connection with a close the client may reconnect after (a drain, a revoked or expired token).</summary>
    public void Abort() => Close(error: null, allowReconnect: true);

    /// <summary>Reads the client's messages until it closes or is closed; one invocation at a time, as SignalR runs them.</summary>
    public async Task RunAsync()
    {
        var buffer = new byte[ReceiveBufferBytes];
        byte[]? gathered = null;
        var gatheredBytes = 0;
        try
        {
            while (true)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (read.MessageType == WebSocketMessageType.Close)
                    break;
                Volatile.Write(ref _lastReceived, Environment.TickCount64);
                var at = 0;
                while (at < read.Count && Volatile.Read(ref _closing) == 0)
                {
                    var end = buffer.AsSpan(at, read.Count - at).IndexOf(RecordSeparator);
                    var length = end < 0 ? read.Count - at : end + 1;
                    if (gatheredBytes + length > _node.MaxMessageBytes)
                    {
                        Close($"Connection closed with an error. A message may be at most {_node.MaxMessageBytes} bytes.", allowReconnect: false);
                        break;
                    }
                    if (end < 0 || gatheredBytes > 0)
                    {
                        Gather(ref gathered, gatheredBytes, buffer.AsSpan(at, length));
                        gatheredBytes += length;
                        at += length;
                        if (end < 0)
                            break;
                    }
                    byte[] record;
                    if (gatheredBytes > 0)
                    {
                        record = gathered.AsSpan(0, gatheredBytes).ToArray();
                        ArrayPool<byte>.Shared.Return(gathered!);
                        gathered = null;
                        gatheredBytes = 0;
                    }
                    else
                    {
                        record = buffer.AsSpan(at, length).ToArray();
                        at += length;
                    }
                    await HandleAsync(record);
                    Volatile.Write(ref _lastReceived, Environment.TickCount64);
                }
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
        }
        finally
        {
            if (gathered is not null)
                ArrayPool<byte>.Shared.Return(gathered);
            await EndAsync();
            _socket.Dispose();
        }
    }

    private static void Gather(ref byte[]? gathered, int count, ReadOnlySpan<byte> more)
    {
        if (gathered is null || gathered.Length < count + more.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(4096, (count + more.Length) * 2));
            if (gathered is not null)
            {
                gathered.AsSpan(0, count).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(gathered);
            }
            gathered = larger;
        }
        more.CopyTo(gathered.AsSpan(count));
    }

    private async Task HandleAsync(byte[] record)
    {
        if (!_handshaken)
        {
            var refusal = _node.Handshake(record);
            await SendAsync(HubSockets.HandshakeAnswer(refusal));
            if (refusal is not null)
                Close(error: null, allowReconnect: false, sayClose: false);
            _handshaken = refusal is null;
            return;
        }
        switch (_node.Parse(record, out var unreadable))
        {
            case InvocationMessage invocation:
                await InvokeAsync(invocation);
                break;
            case InvocationBindingFailureMessage failure:
                if (failure.InvocationId is { } id)
                    await SendAsync(_node.Error(id, HubSockets.BindingError(failure)));
                break;
            case StreamInvocationMessage stream:
                await SendAsync(_node.Error(stream.InvocationId!, $"Failed to invoke '{stream.Target}': streaming is not supported by this hub; call it as a plain invocation."));
                break;
            case PingMessage:
                break;
            case CloseMessage:
                Close(error: null, allowReconnect: false, sayClose: false);
                break;
            case { } other:
                Close($"Connection closed with an error. {HubSockets.Unsupported(other)}", allowReconnect: false);
                break;
            default:
                Close($"Connection closed with an error. {unreadable}", allowReconnect: false);
                break;
        }
    }

    private async Task InvokeAsync(InvocationMessage invocation)
    {
        CompletionMessage answer;
        try
        {
            var result = await _node.InvokeAsync(this, invocation);
            if (invocation.InvocationId is null)
                return;
            answer = CompletionMessage.WithResult(invocation.InvocationId, result);
        }
        catch (Exception error)
        {
            if (error is not HubException)
                _node.Failed(invocation.Target, error);
            if (invocation.InvocationId is null)
                return;
            answer = CompletionMessage.WithError(invocation.InvocationId, HubSockets.InvocationError(invocation.Target, error));
        }
        await SendAsync(_node.Protocol.GetMessageBytes(answer));
    }

    /// <summary>Sends one frame; a frame that comes while another is in flight waits behind it.</summary>
    private ValueTask SendAsync(ReadOnlyMemory<byte> frame)
    {
        lock (_gate)
        {
            if (_ended)
                return ValueTask.CompletedTask;
            if (_sending)
            {
                var waiting = new Waiting(frame);
                (_waiting ??= new Queue<Waiting>()).Enqueue(waiting);
                return new ValueTask(waiting.Sent.Task);
            }
            _sending = true;
        }
        var send = StartSend(frame);
        if (send.IsCompletedSuccessfully)
        {
            SendNext();
            return ValueTask.CompletedTask;
        }
        return AwaitSendAsync(send, null);
    }

    /// <summary>A ping goes only when nothing is being sent: then the connection is not silent anyway.</summary>
    private void SendIfIdle(ReadOnlyMemory<byte> frame)
    {
        lock (_gate)
        {
            if (_ended || _sending)
                return;
            _sending = true;
        }
        var send = StartSend(frame);
        if (send.IsCompletedSuccessfully)
            SendNext();
        else
            _ = AwaitSendAsync(send, null);
    }

    private ValueTask StartSend(ReadOnlyMemory<byte> frame)
    {
        try
        {
            return _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception error)
        {
            return ValueTask.FromException(error);
        }
    }

    private async ValueTask AwaitSendAsync(ValueTask send, Waiting? waiting)
    {
        // Watched by the node's timer: a send that waits past the write timeout means the client is gone.
        Volatile.Write(ref _sendPendingSince, Environment.TickCount64);
        try
        {
            await send;
        }
        catch (Exception)
        {
            waiting?.Sent.TrySetResult();
            Kill();
            return;
        }
        finally
        {
            Volatile.Write(ref _sendPendingSince, 0);
        }
        waiting?.Sent.TrySetResult();
        SendNext();
    }

    /// <summary>After a send: the frames that waited go out in order, until one does not complete at once.</summary>
    private void SendNext()
    {
        Volatile.Write(ref _lastSent, Environment.TickCount64);
        while (true)
        {
            Waiting next;
            lock (_gate)
            {
                if (_ended || _waiting is not { Count: > 0 } waiting)
                {
                    _sending = false;
                    return;
                }
                next = waiting.Dequeue();
            }
            var send = StartSend(next.Frame);
            if (!send.IsCompletedSuccessfully)
            {
                _ = AwaitSendAsync(send, next);
                return;
            }
            next.Sent.TrySetResult();
            Volatile.Write(ref _lastSent, Environment.TickCount64);
        }
    }

    /// <summary>
    /// Says close (with an error, or that the client may reconnect), then closes the WebSocket;
    /// the connection ends when the client answers, or when the node's timer gives up on it.
    /// </summary>
    public void Close(string? error, bool allowReconnect, bool sayClose = true)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
            return;
        Volatile.Write(ref _closingSince, Environment.TickCount64);
        _ = CloseAsync(sayClose ? _node.CloseFrame(error, allowReconnect) : null);
    }

    private async Task CloseAsync(ReadOnlyMemory<byte>? closeMessage)
    {
        try
        {
            if (closeMessage is { } message)
                await SendAsync(message);
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (Exception)
        {
            Kill();
        }
    }

    /// <summary>Ends the connection at once, without a word: for a client that no longer takes data.</summary>
    private void Kill()
    {
        lock (_gate)
        {
            if (_ended)
                return;
        }
        _socket.Abort();
    }

    /// <summary>Called by the node's timer about once a second.</summary>
    internal void Tick(long now, long unixMs, HubSocketTimes times)
    {
        if (Volatile.Read(ref _ended))
            return;
        if (Volatile.Read(ref _closing) != 0)
        {
            if (now - Volatile.Read(ref _closingSince) > times.CloseGraceMs)
                Kill();
            return;
        }
        var pending = Volatile.Read(ref _sendPendingSince);
        if (pending != 0 && now - pending > times.WriteTimeoutMs)
        {
            _node.TimedOut();
            Kill();
            return;
        }
        if (now - Volatile.Read(ref _lastReceived) > times.ClientTimeoutMs)
        {
            // A device whose uplink stalled (a tunnel, a frozen radio) comes back once it can: as SignalR's own
            // client timeout, the close lets it reconnect and resume instead of leaving it disconnected for good.
            Close($"Server timeout ({times.ClientTimeoutMs} ms) elapsed without receiving a message from the client.", allowReconnect: true);
            return;
        }
        if (unixMs >= _expiresAtUnixMs)
        {
            // As SignalR's CloseOnAuthenticationExpiration: the page signs in again and resumes.
            Close(error: null, allowReconnect: true);
            return;
        }
        if (_handshaken && now - Volatile.Read(ref _lastSent) >= times.PingMs)
            SendIfIdle(HubSockets.Ping);
    }

    private async Task EndAsync()
    {
        Queue<Waiting>? waiting;
        CancellationTokenSource? aborted;
        lock (_gate)
        {
            _ended = true;
            waiting = _waiting;
            _waiting = null;
            aborted = _aborted;
        }
        while (waiting is { Count: > 0 })
            waiting.Dequeue().Sent.TrySetResult();
        aborted?.Cancel();
        _node.Disconnected(this);
        if (_socket.State == WebSocketState.CloseReceived)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
            }
        }
    }

    /// <summary>A frame waiting for the one in flight, and who waits for it to be sent.</summary>
    private sealed class Waiting(ReadOnlyMemory<byte> frame)
    {
        public ReadOnlyMemory<byte> Frame { get; } = frame;
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The deadlines the node's timer keeps for every connection, in milliseconds.</summary>
internal readonly record struct HubSocketTimes(long PingMs, long ClientTimeoutMs, long WriteTimeoutMs, long CloseGraceMs);
