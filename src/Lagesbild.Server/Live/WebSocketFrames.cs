using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Lagesbild.Server.Live;

/// <summary>
/// The WebSocket protocol's framing, as a server speaks it (RFC 6455 §5): the frame the server
/// sends (never masked, so the same bytes for every connection), the header of a frame a client
/// sent (always masked), and the handshake's answer (§4.2.2). A delta's frame is built once, its
/// header in front of the hub protocol's bytes (<see cref="FramedHubProtocol"/>), and
/// <see cref="HubSocket"/> writes those bytes to every connection as they are.
/// </summary>
public static class WebSocketFrames
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>The longest header a client's frame can have: 2 bytes, a 64-bit length, a 4-byte mask.</summary>
    public const int MaxClientHeaderBytes = 14;

    /// <summary>A control frame (close, ping, pong) carries at most this much (§5.5).</summary>
    public const int MaxControlPayload = 125;

    /// <summary>The close codes this server sends (§7.4.1).</summary>
    public const ushort NormalClosure = 1000;
    public const ushort ProtocolError = 1002;

    /// <summary>The key a client's handshake sends is answered with (§1.3, §4.2.2).</summary>
    public static string Accept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    /// <summary>True for a client's key: 16 bytes, base64 (§4.1).</summary>
    public static bool IsValidKey(string? key)
    {
        Span<byte> bytes = stackalloc byte[18];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, bytes, out var length) && length == 16;
    }

    /// <summary>The name under which a message caches its frame (<see cref="FramedHubProtocol"/>).</summary>
    public const string FramedProtocolName = "json, framed for a WebSocket";

    /// <summary>A whole frame: header and payload in one array.</summary>
    public static byte[] Frame(byte opcode, ReadOnlyMemory<byte> payload)
    {
        var headerLength = HeaderLength(payload.Length);
        var frame = new byte[headerLength + payload.Length];
        WriteHeader(frame, opcode, payload.Length);
        payload.Span.CopyTo(frame.AsSpan(headerLength));
        return frame;
    }

    public static int HeaderLength(int payloadLength) =>
        payloadLength < 126 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Writes the header of a whole (final) unmasked frame; returns its length.</summary>
    public static int WriteHeader(Span<byte> into, byte opcode, int payloadLength)
    {
        into[0] = (byte)(0x80 | opcode);
        if (payloadLength < 126)
        {
            into[1] = (byte)payloadLength;
            return 2;
        }
        if (payloadLength <= ushort.MaxValue)
        {
            into[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(into[2..], (ushort)payloadLength);
            return 4;
        }
        into[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(into[2..], (ulong)payloadLength);
        return 10;
    }

    /// <summary>A close frame's payload: the code, then the reason in UTF-8, cut to what a control frame holds.</summary>
    public static byte[] ClosePayload(ushort code, string? reason = null)
    {
        var text = Encoding.UTF8.GetBytes(reason ?? "");
        var payload = new byte[2 + Math.Min(text.Length, MaxControlPayload - 2)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        text.AsSpan(0, payload.Length - 2).CopyTo(payload.AsSpan(2));
        return payload;
    }

    /// <summary>
    /// Reads the header of a client's frame at the start of <paramref name="buffer"/>. False with
    /// no problem when more bytes are needed; false with the problem when the frame breaks the
    /// protocol (an unmasked frame, reserved bits without an extension, an unknown opcode, a
    /// control frame that is fragmented or longer than 125 bytes).
    /// </summary>
    public static bool TryReadClientHeader(in ReadOnlySequence<byte> buffer, out ClientFrame frame, out string? problem)
    {
        frame = default;
        problem = null;
        Span<byte> bytes = stackalloc byte[MaxClientHeaderBytes];
        var available = (int)Math.Min(buffer.Length, MaxClientHeaderBytes);
        if (available < 2)
            return false;
        buffer.Slice(0, available).CopyTo(bytes);
        var first = bytes[0];
        var second = bytes[1];
        var lengthBits = second & 0x7F;
        var headerLength = 2 + (lengthBits == 126 ? 2 : lengthBits == 127 ? 8 : 0) + ((second & 0x80) != 0 ? 4 : 0);
        var opcode = (byte)(first & 0x0F);
        var final = (first & 0x80) != 0;
        if ((first & 0x70) != 0)
            problem = "A frame used reserved bits; no extension was agreed.";
        else if ((second & 0x80) == 0)
            problem = "A client's frame must be masked.";
        else if (opcode is > Binary and < Close or > Pong)
            problem = $"Opcode {opcode} is not one of the protocol's.";
        else if (opcode >= Close && (!final || lengthBits > MaxControlPayload))
            problem = "A control frame must be whole and carry at most 125 bytes.";
        if (problem is not null)
            return false;
        if (available < headerLength)
            return false;
        long length = lengthBits switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]),
            127 => (long)BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]),
            _ => lengthBits,
        };
        if (length < 0)
        {
            problem = "A frame's length must fit in 63 bits.";
            return false;
        }
        var mask = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(headerLength - 4)..]);
        frame = new ClientFrame(opcode, final, headerLength, length, mask);
        return true;
    }

    /// <summary>Unmasks bytes of a client's payload in place, <paramref name="offset"/> being how far into the payload they start.</summary>
    public static void Unmask(Span<byte> data, uint mask, long offset)
    {
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(key, mask);
        for (var i = 0; i < data.Length; i++)
            data[i] ^= key[(int)((offset + i) & 3)];
    }
}

/// <summary>The header of a frame a client sent: its opcode, whether it ends its message, and its payload's length and mask.</summary>
public readonly record struct ClientFrame(byte Opcode, bool Final, int HeaderLength, long PayloadLength, uint Mask)
{
    public bool IsControl => Opcode >= WebSocketFrames.Close;
}

/// <summary>
/// The JSON hub protocol's bytes of a message, framed as one WebSocket text frame: what
/// <see cref="HubSocket"/> writes. A message shared by many connections (a delta, a run, a
/// snapshot) caches them under <see cref="WebSocketFrames.FramedProtocolName"/>, so they are built
/// once however many connections get them; the JSON inside is framed by <see cref="LiveProtocol"/>,
/// which counts the deltas it frames.
/// </summary>
public sealed class FramedHubProtocol(LiveProtocol json) : Microsoft.AspNetCore.SignalR.Protocol.IHubProtocol
{
    public string Name => WebSocketFrames.FramedProtocolName;
    public int Version => json.Version;
    public Microsoft.AspNetCore.Connections.TransferFormat TransferFormat => json.TransferFormat;
    public bool IsVersionSupported(int version) => json.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, Microsoft.AspNetCore.SignalR.IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Microsoft.AspNetCore.SignalR.Protocol.HubMessage? message) =>
        throw new NotSupportedException("Framed bytes are only written; a client's frames are read by HubSocket.");

    public void WriteMessage(Microsoft.AspNetCore.SignalR.Protocol.HubMessage message, IBufferWriter<byte> output) => output.Write(GetMessageBytes(message).Span);

    public ReadOnlyMemory<byte> GetMessageBytes(Microsoft.AspNetCore.SignalR.Protocol.HubMessage message) =>
        WebSocketFrames.Frame(WebSocketFrames.Text, json.GetMessageBytes(message));
}
