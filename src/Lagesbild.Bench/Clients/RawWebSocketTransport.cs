using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Lagesbild.Bench.Clients;

/// <summary>
/// A WebSocket (RFC 6455) spoken directly on a TCP socket (<c>--client raw</c>, the default):
/// the HTTP upgrade, then frames read straight from the socket into the caller's buffer, with
/// no HTTP connection, stream or <see cref="System.Net.WebSockets.ManagedWebSocket"/> layers
/// between. To the server it is the same WebSocket a browser opens; at 10,000 clients the
/// clients' process used 56–58 % of a core against 66–69 % on
/// <see cref="ClientWebSocketTransport"/>, which leaves more of the shared machine to the
/// server being measured.
/// </summary>
public sealed class RawWebSocketTransport(IPAddress source) : HubTransport
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private Socket? _socket;
    private readonly SemaphoreSlim _sending = new(1, 1);
    // Bytes read from the socket but not yet handed out: frame headers and payload.
    private readonly byte[] _in = new byte[8192];
    private int _start;
    private int _end;
    // Payload bytes of the current frame not yet handed out, and whether it is a data frame.
    private long _payloadLeft;
    private bool _payloadIsData;

    public override async Task ConnectAsync(Uri hub, CancellationToken cancellationToken)
    {
        _socket = await ConnectFromAsync(source, new DnsEndPoint(hub.Host, hub.Port), cancellationToken);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {hub.PathAndQuery} HTTP/1.1\r\nHost: {hub.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await _socket.SendAsync(Encoding.ASCII.GetBytes(request), cancellationToken);

        // The response head; whatever follows it is already frames.
        int headEnd;
        while ((headEnd = _in.AsSpan(0, _end).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end == _in.Length)
                throw new IOException("WebSocket upgrade: response head too long");
            var read = await _socket.ReceiveAsync(_in.AsMemory(_end), cancellationToken);
            if (read == 0)
                throw new IOException("WebSocket upgrade: connection closed");
            _end += read;
        }
        var head = Encoding.ASCII.GetString(_in, 0, headEnd);
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            throw new IOException("WebSocket upgrade refused: " + head.Split("\r\n")[0]);
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
        if (!head.Split("\r\n").Any(line => line.StartsWith("Sec-WebSocket-Accept:", StringComparison.OrdinalIgnoreCase) && line[21..].Trim() == expected))
            throw new IOException("WebSocket upgrade: wrong Sec-WebSocket-Accept");
        _start = headEnd + 4;
    }

    public override async Task SendAsync(ReadOnlyMemory<byte> message) => await SendFrameAsync(0x1, message);

    /// <summary>One frame, FIN set, masked as a client must.</summary>
    private async Task SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload)
    {
        var frame = new byte[14 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        var at = 2;
        if (payload.Length < 126)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
            at = 4;
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
            at = 10;
        }
        var mask = at;
        RandomNumberGenerator.Fill(frame.AsSpan(mask, 4));
        at += 4;
        var span = payload.Span;
        for (var i = 0; i < span.Length; i++)
            frame[at + i] = (byte)(span[i] ^ frame[mask + (i & 3)]);
        var length = at + span.Length;
        // A pong may be answered while a message is going out: frames must not interleave.
        await _sending.WaitAsync();
        try
        {
            for (var sent = 0; sent < length;)
                sent += await _socket!.SendAsync(frame.AsMemory(sent, length - sent));
        }
        finally
        {
            _sending.Release();
        }
    }

    public override async ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        while (true)
        {
            if (_payloadLeft > 0 && _end > _start)
            {
                var count = (int)Math.Min(Math.Min(_payloadLeft, _end - _start), buffer.Length);
                var payload = _in.AsMemory(_start, count);
                _start += count;
                _payloadLeft -= count;
                if (_payloadIsData)
                {
                    payload.CopyTo(buffer);
                    return count;
                }
                continue;
            }
            if (_payloadLeft == 0 && TryReadHeader() is { } closed)
            {
                if (closed)
                    return 0;
                continue;
            }
            // Need more bytes: keep what is unread at the front, then read after it.
            if (_start > 0)
            {
                _in.AsSpan(_start, _end - _start).CopyTo(_in);
                _end -= _start;
                _start = 0;
            }
            int read;
            try
            {
                read = await _socket!.ReceiveAsync(_in.AsMemory(_end), SocketFlags.None);
            }
            catch (SocketException error)
            {
                CloseReason = "receive failed: " + error.Message;
                return 0;
            }
            if (read == 0)
            {
                CloseReason = "connection closed without a close frame";
                return 0;
            }
            _end += read;
        }
    }

    /// <summary>
    /// Reads a frame header if all of it has arrived: null when more bytes are needed, true
    /// for a close frame, false for anything else (its payload then follows).
    /// </summary>
    private bool? TryReadHeader()
    {
        var data = _in.AsSpan(_start, _end - _start);
        if (data.Length < 2)
            return null;
        var opcode = data[0] & 0x0F;
        if ((data[1] & 0x80) != 0)
            throw new IOException("the server masked a frame");
        long length = data[1] & 0x7F;
        var header = 2;
        if (length == 126)
        {
            if (data.Length < 4)
                return null;
            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            header = 4;
        }
        else if (length == 127)
        {
            if (data.Length < 10)
                return null;
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
            header = 10;
        }
        switch (opcode)
        {
            case 0x8:
                CloseReason = data.Length >= header + 2 && length >= 2
                    ? $"closed by the server ({BinaryPrimitives.ReadUInt16BigEndian(data[header..])})"
                    : "closed by the server";
                return true;
            case 0x9:
                // A ping is answered with its payload; it is small, so wait until all of it is here.
                if (data.Length < header + length)
                    return null;
                var ping = data.Slice(header, (int)length).ToArray();
                _start += header + (int)length;
                _ = SendFrameAsync(0xA, ping);
                return false;
        }
        // Text, binary and continuation frames carry data; a pong is read past.
        _start += header;
        _payloadLeft = length;
        _payloadIsData = opcode is 0x0 or 0x1 or 0x2;
        return false;
    }

    public override void Dispose() => _socket?.Dispose();
}
