using System.Buffers;
using System.Buffers.Binary;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Tests;

/// <summary>
/// The WebSocket protocol as the hub's sockets speak it (RFC 6455): what a client's frame header
/// says or why it is refused, its payload unmasked in pieces as it arrives, and the frames the
/// server sends, which every client must read as its own WebSocket reads them.
/// </summary>
public sealed class WebSocketFramesTests
{
    private static readonly byte[] Key = [0x37, 0xfa, 0x21, 0x3d];

    /// <summary>A client's frame as a browser sends it: masked, with the length in its shortest form.</summary>
    private static byte[] ClientFrame(byte opcode, byte[] payload, bool final = true, byte reserved = 0)
    {
        var length = payload.Length;
        var extra = length < 126 ? 0 : length <= ushort.MaxValue ? 2 : 8;
        var frame = new byte[2 + extra + 4 + length];
        frame[0] = (byte)((final ? 0x80 : 0) | reserved | opcode);
        frame[1] = (byte)(0x80 | (extra == 0 ? length : extra == 2 ? 126 : 127));
        if (extra == 2)
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)length);
        else if (extra == 8)
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)length);
        Key.CopyTo(frame, 2 + extra);
        for (var i = 0; i < length; i++)
            frame[2 + extra + 4 + i] = (byte)(payload[i] ^ Key[i % 4]);
        return frame;
    }

    private static (bool Read, ClientFrame Frame, string? Problem) Read(byte[] bytes)
    {
        var read = WebSocketFrames.TryReadClientHeader(new ReadOnlySequence<byte>(bytes), out var frame, out var problem);
        return (read, frame, problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(200_000)]
    public void A_client_frames_header_gives_its_length_and_its_payload_unmasks_to_what_was_sent(int length)
    {
        var payload = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        var bytes = ClientFrame(WebSocketFrames.Text, payload);

        var (read, frame, problem) = Read(bytes);

        Assert.True(read, problem);
        Assert.Equal(WebSocketFrames.Text, frame.Opcode);
        Assert.True(frame.Final);
        Assert.Equal(length, frame.PayloadLength);
        Assert.Equal(bytes.Length - length, frame.HeaderLength);
        var body = bytes.AsSpan(frame.HeaderLength).ToArray();
        // In pieces of odd sizes, as the bytes arrive: each piece knows how far into the payload it starts.
        for (var at = 0; at < body.Length; at += 1_000 + 3)
            WebSocketFrames.Unmask(body.AsSpan(at, Math.Min(1_003, body.Length - at)), frame.Mask, at);
        Assert.Equal(payload, body);
    }

    [Fact]
    public void A_header_that_has_not_all_arrived_asks_for_more_without_a_problem()
    {
        var bytes = ClientFrame(WebSocketFrames.Binary, new byte[70_000]);
        // 2 bytes, the 8-byte length and the 4-byte mask: every shorter prefix waits.
        for (var have = 0; have < 14; have++)
        {
            var (read, _, problem) = Read(bytes[..have]);
            Assert.False(read);
            Assert.Null(problem);
        }
        Assert.True(Read(bytes[..14]).Read);
    }

    [Fact]
    public void Frames_that_break_the_protocol_are_refused_with_the_reason()
    {
        var unmasked = ClientFrame(WebSocketFrames.Text, "{}"u8.ToArray());
        unmasked[1] &= 0x7F;
        var hugeLength = ClientFrame(WebSocketFrames.Text, new byte[70_000]);
        hugeLength[2] |= 0x80;
        var cases = new (byte[] Frame, string Reason)[]
        {
            (unmasked, "must be masked"),
            (ClientFrame(WebSocketFrames.Text, [1], reserved: 0x40), "reserved bits"),
            (ClientFrame(0x3, [1]), "Opcode 3 is not one of the protocol's"),
            (ClientFrame(0xB, [1]), "Opcode 11 is not one of the protocol's"),
            (ClientFrame(WebSocketFrames.Ping, new byte[126]), "at most 125 bytes"),
            (ClientFrame(WebSocketFrames.Ping, [1], final: false), "must be whole"),
            (hugeLength, "63 bits"),
        };
        foreach (var (bytes, reason) in cases)
        {
            var (read, _, problem) = Read(bytes);
            Assert.False(read);
            Assert.Contains(reason, problem);
        }
    }

    [Fact]
    public void The_handshakes_answer_is_the_one_the_protocol_gives_for_its_sample_key()
    {
        // RFC 6455 §1.3: the sample key and the answer it must get.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketFrames.Accept("dGhlIHNhbXBsZSBub25jZQ=="));
        Assert.True(WebSocketFrames.IsValidKey("dGhlIHNhbXBsZSBub25jZQ=="));
        Assert.False(WebSocketFrames.IsValidKey("dGhlIHNhbXBsZSBub25jZQ"));
        Assert.False(WebSocketFrames.IsValidKey("dGhlIHNhbXBsZSBub25jZSBhbmQgbW9yZQ=="));
        Assert.False(WebSocketFrames.IsValidKey(null));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    public async Task A_frame_the_server_sends_is_one_whole_message_to_a_WebSocket_client(int length)
    {
        var payload = Enumerable.Range(0, length).Select(i => (byte)('a' + i % 26)).ToArray();
        var frame = WebSocketFrames.Frame(WebSocketFrames.Text, payload);
        using var wire = new MemoryStream();
        wire.Write(frame);
        wire.Write(WebSocketFrames.Frame(WebSocketFrames.Close, WebSocketFrames.ClosePayload(WebSocketFrames.NormalClosure)));
        wire.Position = 0;
        // .NET's own WebSocket, as the client end: it must read the bytes as one text message.
        using var client = System.Net.WebSockets.WebSocket.CreateFromStream(wire, new System.Net.WebSockets.WebSocketCreationOptions { IsServer = false });

        var buffer = new byte[length + 16];
        var count = 0;
        System.Net.WebSockets.WebSocketReceiveResult received;
        do
        {
            received = await client.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
            Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Text, received.MessageType);
            count += received.Count;
        }
        while (!received.EndOfMessage);

        Assert.Equal(payload, buffer[..count]);
        var close = await client.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, close.CloseStatus);
    }

    [Fact]
    public void A_close_reason_is_cut_to_what_a_control_frame_holds()
    {
        var payload = WebSocketFrames.ClosePayload(WebSocketFrames.ProtocolError, new string('x', 300));
        Assert.Equal(125, payload.Length);
        Assert.Equal(1002, BinaryPrimitives.ReadUInt16BigEndian(payload));
    }
}
