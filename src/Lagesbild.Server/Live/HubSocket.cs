using System.Buffers;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Lagesbild.Server.Live;

/// <summary>
/// One live map on our own WebSocket path, speaking SignalR's JSON hub protocol so that the
/// official clients work unchanged. A delta's bytes, framed once for every connection of its
/// readership with their WebSocket header in front (<see cref="WebSocketFrames"/>), go straight
/// from the picture's dispatcher into the upgraded connection's output: one copy, into Kestrel's
/// output, with no send buffer, pipe or loop of the connection's own and no hop on the way.
/// Exactly one send is in flight at a time; a completion, a ping or a pong that comes while one
/// is waits behind it. The WebSocket protocol is spoken here: an idle connection holds this
/// object and its one pending read, which holds no buffer until the client sends; the node's one
/// timer (<see cref="HubSockets"/>) sends its pings and watches its deadlines.
/// </summary>
public sealed class HubSocket : ILiveConnection
{
    private const byte RecordSeparator = 0x1E;

    /// <summary>
    /// The receive buffer, rented only while bytes wait to be read. Clients send little (the
    /// handshake, a Join, a command, a ping every 15 s); a record longer than one read is gathered
    /// in a pooled buffer.
    /// </summary>
    private const int ChunkBytes = 4096;

    private readonly HubSockets _node;
    private readonly HttpContext _http;
    private readonly Stream _transport;
    private readonly long _expiresAtUnixMs;
    private readonly Lock _gate = new();
    private CancellationTokenSource? _aborted;
    private Queue<Waiting>? _waiting;
    private bool _sending;
    private bool _ended;
    private bool _handshaken;
    private int _closing;
    private int _closeSaid;
    private long _closingSince;
    private long _lastSent;
    private long _lastReceived;
    private long _sendPendingSince;

    public HubSocket(HubSockets node, HttpContext http, Stream transport, ClaimsPrincipal user, string connectionId, DateTimeOffset? expires, string person, string address)
    {
        _node = node;
        _http = http;
        _transport = transport;
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

    /// <summary>A message many connections get: its frame is built once, with its WebSocket header, and shared.</summary>
    public ValueTask WriteAsync(SerializedHubMessage message) => SendFramedAsync(message.GetSerializedMessage(_node.Framed));

    /// <summary>Ends the connection with a close the client may reconnect after (a drain, a revoked or expired token).</summary>
    public void Abort() => Close(error: null, allowReconnect: true);

    /// <summary>
    /// Reads the client's frames until it closes or is closed, and its messages from them; one
    /// invocation at a time, as SignalR runs them. A data frame's payload is unmasked a read at a
    /// time, so a long message never sits whole in a buffer before its length is checked. A ping
    /// is answered with a pong; a close ends the connection, answered with a close if the server
    /// had not said it first. A frame that breaks the protocol closes the connection with 1002.
    /// </summary>
    public async Task RunAsync()
    {
        // Rented while bytes wait to be read; a connection whose client is silent holds none.
        byte[]? received = null;
        var receivedBytes = 0;
        byte[]? gathered = null;
        var gatheredBytes = 0;
        var messageOpen = false;
        long payloadLeft = 0;
        long payloadAt = 0;
        uint mask = 0;
        try
        {
            while (true)
            {
                if (receivedBytes == 0)
                {
                    if (received is not null)
                        ArrayPool<byte>.Shared.Return(received);
                    received = null;
                    // A zero-byte read: it completes once the client has sent something, and holds no buffer until then.
                    _ = await _transport.ReadAsync(Memory<byte>.Empty);
                }
                received ??= ArrayPool<byte>.Shared.Rent(ChunkBytes);
                var read = await _transport.ReadAsync(received.AsMemory(receivedBytes));
                if (read == 0)
                    break;
                receivedBytes += read;
                var at = 0;
                while (true)
                {
                    var left = receivedBytes - at;
                    if (payloadLeft > 0)
                    {
                        if (left == 0)
                            break;
                        // Only a message counts as the client speaking, as for SignalR: not a ping or a pong of the WebSocket's.
                        Volatile.Write(ref _lastReceived, Environment.TickCount64);
                        var count = (int)Math.Min(payloadLeft, left);
                        WebSocketFrames.Unmask(received.AsSpan(at, count), mask, payloadAt);
                        payloadAt += count;
                        payloadLeft -= count;
                        (gathered, gatheredBytes) = await ReadRecordsAsync(received, at, count, gathered, gatheredBytes);
                        at += count;
                        continue;
                    }
                    if (!WebSocketFrames.TryReadClientHeader(new ReadOnlySequence<byte>(received, at, left), out var frame, out var problem))
                    {
                        if (problem is null)
                            break;
                        await RefuseAsync(problem);
                        return;
                    }
                    if (frame.IsControl)
                    {
                        if (left < frame.HeaderLength + frame.PayloadLength)
                            break;
                        var payload = received.AsSpan(at + frame.HeaderLength, (int)frame.PayloadLength).ToArray();
                        at += frame.HeaderLength + (int)frame.PayloadLength;
                        WebSocketFrames.Unmask(payload, frame.Mask, 0);
                        if (frame.Opcode == WebSocketFrames.Close)
                        {
                            await AnswerCloseAsync(payload);
                            return;
                        }
                        if (frame.Opcode == WebSocketFrames.Ping)
                            await SendAsync(payload, WebSocketFrames.Pong);
                        continue;
                    }
                    if ((frame.Opcode == WebSocketFrames.Continuation) != messageOpen)
                    {
                        await RefuseAsync(messageOpen ? "A new message began before the last one ended." : "A continuation frame came with no message to continue.");
                        return;
                    }
                    messageOpen = !frame.Final;
                    at += frame.HeaderLength;
                    payloadLeft = frame.PayloadLength;
                    payloadAt = 0;
                    mask = frame.Mask;
                }
                // What is left is a header or a control frame not yet whole (at most 139 bytes): to the front, to be completed.
                received.AsSpan(at, receivedBytes - at).CopyTo(received);
                receivedBytes -= at;
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The connection was cut (ConnectionAbortedException is an OperationCanceledException) or its request ended.
        }
        finally
        {
            if (received is not null)
                ArrayPool<byte>.Shared.Return(received);
            if (gathered is not null)
                ArrayPool<byte>.Shared.Return(gathered);
            End();
        }
    }

    /// <summary>
    /// Splits a piece of a message's payload into the hub protocol's records (each ends with the
    /// record separator) and handles each; a record that goes on in the next piece is gathered.
    /// </summary>
    private async ValueTask<(byte[]? Gathered, int GatheredBytes)> ReadRecordsAsync(byte[] piece, int offset, int count, byte[]? gathered, int gatheredBytes)
    {
        var at = offset;
        var end = offset + count;
        while (at < end && Volatile.Read(ref _closing) == 0)
        {
            var separator = piece.AsSpan(at, end - at).IndexOf(RecordSeparator);
            var length = separator < 0 ? end - at : separator + 1;
            if (gatheredBytes + length > _node.MaxMessageBytes)
            {
                Close($"Connection closed with an error. A message may be at most {_node.MaxMessageBytes} bytes.", allowReconnect: false);
                break;
            }
            if (separator < 0 || gatheredBytes > 0)
            {
                Gather(ref gathered, gatheredBytes, piece.AsSpan(at, length));
                gatheredBytes += length;
                at += length;
                if (separator < 0)
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
                record = piece.AsSpan(at, length).ToArray();
                at += length;
            }
            await HandleAsync(record);
            Volatile.Write(ref _lastReceived, Environment.TickCount64);
        }
        return (gathered, gatheredBytes);
    }

    /// <summary>The client said close: said back, unless the server had said it first (RFC 6455 §5.5.1).</summary>
    private async Task AnswerCloseAsync(byte[] payload)
    {
        if (Interlocked.Exchange(ref _closeSaid, 1) == 0)
            await SendAsync(payload.Length >= 2 ? payload.AsMemory(0, 2) : WebSocketFrames.ClosePayload(WebSocketFrames.NormalClosure), WebSocketFrames.Close);
    }

    /// <summary>A frame broke the protocol: closed with 1002 and the reason, and not read further.</summary>
    private async Task RefuseAsync(string problem)
    {
        Interlocked.Exchange(ref _closing, 1);
        if (Interlocked.Exchange(ref _closeSaid, 1) == 0)
            await SendAsync(WebSocketFrames.ClosePayload(WebSocketFrames.ProtocolError, problem), WebSocketFrames.Close);
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

    /// <summary>Sends a message of this connection's alone (an answer, a pong, a close) in a frame of its own.</summary>
    private ValueTask SendAsync(ReadOnlyMemory<byte> payload, byte opcode = WebSocketFrames.Text) =>
        SendFramedAsync(WebSocketFrames.Frame(opcode, payload));

    /// <summary>Sends one frame; a frame that comes while another is in flight waits behind it.</summary>
    private ValueTask SendFramedAsync(ReadOnlyMemory<byte> frame)
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

    /// <summary>Writes one whole frame into the connection's output, which Kestrel copies and flushes.</summary>
    private ValueTask StartSend(ReadOnlyMemory<byte> frame)
    {
        try
        {
            return _transport.WriteAsync(frame);
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
            if (Interlocked.Exchange(ref _closeSaid, 1) == 0)
                await SendFramedAsync(NormalClose);
        }
        catch (Exception)
        {
            Kill();
        }
    }

    /// <summary>Ends the connection at once, without a word: for a client that no longer takes data.</summary>
    private void Kill()
    {
        // Under the lock: once the connection has ended, its request is over and its context may be reused.
        lock (_gate)
        {
            if (!_ended)
                _http.Abort();
        }
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
            SendIfIdle(FramedPing);
    }

    private void End()
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
    }

    private static readonly ReadOnlyMemory<byte> NormalClose = WebSocketFrames.Frame(WebSocketFrames.Close, WebSocketFrames.ClosePayload(WebSocketFrames.NormalClosure));
    private static readonly ReadOnlyMemory<byte> FramedPing = WebSocketFrames.Frame(WebSocketFrames.Text, HubSockets.Ping);

    /// <summary>A frame waiting for the one in flight, and who waits for it to be sent.</summary>
    private sealed class Waiting(ReadOnlyMemory<byte> frame)
    {
        public ReadOnlyMemory<byte> Frame { get; } = frame;
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The deadlines the node's timer keeps for every connection, in milliseconds.</summary>
internal readonly record struct HubSocketTimes(long PingMs, long ClientTimeoutMs, long WriteTimeoutMs, long CloseGraceMs);
