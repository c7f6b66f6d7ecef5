using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>
/// The hub's WebSockets on our own path (HubSockets): the JSON hub protocol spoken by hand, as
/// the page and the .NET client speak it, and the refusals a client that speaks it wrong gets.
/// </summary>
public sealed class HubSocketTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Theory]
    [InlineData("""{"protocol":"messagepack","version":1}""", "The protocol 'messagepack' is not supported.")]
    [InlineData("""{"protocol":"json","version":3}""", "The server does not support version 3 of the 'json' protocol.")]
    [InlineData("""{"protocol":"json",""", "The handshake could not be read")]
    public async Task A_handshake_for_another_protocol_or_version_is_refused_with_its_reason_and_the_socket_closed(string handshake, string reason)
    {
        await using var hub = await HandSpoken.ConnectAsync(fixture.Server, "anna", handshake: null);
        await hub.SendAsync(handshake);

        var answer = await hub.ReceiveAsync();
        Assert.Contains(reason, JsonDocument.Parse(answer!).RootElement.GetProperty("error").GetString());
        Assert.Null(await hub.ReceiveAsync());
    }

    [Fact]
    public async Task A_wrong_method_or_wrong_arguments_are_answered_with_a_clear_error_and_the_connection_stays_usable()
    {
        await using var hub = await HandSpoken.ConnectAsync(fixture.Server, "anna");

        var unknown = await hub.InvokeAsync("1", "Leave", """["live"]""");
        var tooFew = await hub.InvokeAsync("2", "Join", """["live"]""");
        var wrongType = await hub.InvokeAsync("3", "Join", """["live","elva",null]""");
        var stream = await hub.CompletionAsync("""{"type":4,"invocationId":"4","target":"Join","arguments":["live",null,null]}""", "4");
        var refused = await hub.InvokeAsync("5", "Join", """["ex-finns-inte",null,null]""");
        var joined = await hub.InvokeAsync("6", "Join", """["live",null,null]""");

        output.WriteLine(string.Join("\n", unknown, tooFew, wrongType, stream, refused, joined));
        Assert.Equal("Failed to invoke 'Leave' due to an error on the server. Method does not exist.", Error(unknown));
        Assert.Equal("Failed to invoke 'Join' due to an error on the server. Invocation provides 1 argument(s) but target expects 3.", Error(tooFew));
        Assert.StartsWith("Failed to invoke 'Join' due to an error on the server. Error binding arguments.", Error(wrongType));
        Assert.DoesNotContain("System.", Error(wrongType));
        Assert.Contains("streaming is not supported", Error(stream));
        // A refusal carries its ProblemDetails after the words SignalR puts in front, as the clients read it.
        Assert.StartsWith("An unexpected error occurred invoking 'Join' on the server. HubException: {", Error(refused));
        Assert.Contains("\"status\":404", Error(refused));
        Assert.Equal("snapshot", JsonDocument.Parse(joined).RootElement.GetProperty("result").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Messages_of_types_the_hub_does_not_use_close_the_connection_with_the_reason()
    {
        foreach (var (message, reason) in new[]
        {
            ("""{"type":5,"invocationId":"1"}""", "There is no stream to cancel"),
            ("""{"type":99}""", "not one of the hub protocol's"),
            ("""{"type":1,"target":"Join","arguments":[""", "Connection closed with an error."),
        })
        {
            await using var hub = await HandSpoken.ConnectAsync(fixture.Server, "anna");
            await hub.SendAsync(message);
            var close = await hub.ReceiveUntilAsync(7);
            output.WriteLine($"{message} → {close}");
            Assert.Contains(reason, JsonDocument.Parse(close!).RootElement.GetProperty("error").GetString());
            Assert.Null(await hub.ReceiveAsync());
        }
    }

    [Fact]
    public async Task A_silent_connection_is_pinged_and_a_client_that_says_nothing_for_30_s_is_closed_and_may_reconnect()
    {
        await using var hub = await HandSpoken.ConnectAsync(fixture.Server, "anna");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ping = await hub.ReceiveAsync();
        output.WriteLine($"first ping after {clock.Elapsed.TotalSeconds:F1} s: {ping}");
        Assert.Equal("""{"type":6}""", ping);
        Assert.InRange(clock.Elapsed.TotalSeconds, 2, 6);

        var close = await hub.ReceiveUntilAsync(7, TimeSpan.FromSeconds(45));
        output.WriteLine($"closed after {clock.Elapsed.TotalSeconds:F1} s: {close}");
        Assert.Contains("elapsed without receiving a message from the client", close);
        // The device may come back: an official client with automatic reconnect reconnects, not stops.
        Assert.True(JsonDocument.Parse(close!).RootElement.GetProperty("allowReconnect").GetBoolean(), close);
        Assert.InRange(clock.Elapsed.TotalSeconds, 29, 40);
    }

    [Fact]
    public async Task A_close_from_the_client_ends_the_connection_and_gives_back_its_place()
    {
        var before = await ConnectionsAsync();
        await using var hub = await HandSpoken.ConnectAsync(fixture.Server, "anna");
        await hub.InvokeAsync("1", "Join", """["live",null,null]""");
        Assert.Equal(before + 1, await ConnectionsAsync());

        await hub.SendAsync("""{"type":7}""");
        Assert.Null(await hub.ReceiveUntilAsync(-1));
        for (var i = 0; i < 100 && await ConnectionsAsync() != before; i++)
            await Task.Delay(100);
        Assert.Equal(before, await ConnectionsAsync());
    }

    [Fact]
    public async Task Server_sent_events_still_go_through_stock_SignalR()
    {
        var deltas = new List<long>();
        await using var connection = HubClient(HttpTransportType.ServerSentEvents, deltas);
        var snapshot = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JsonElement>("snapshot", s => snapshot.TrySetResult(s.GetProperty("seq").GetInt64()));
        await connection.StartAsync();
        var joined = await connection.InvokeAsync<JsonElement>("Join", "live", null, null);
        Assert.Equal("snapshot", joined.GetProperty("mode").GetString());
        await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var seq = await fixture.ReportWaterAsync("farsta-storforsplan", 4711);
        Assert.Contains(seq, await DeltasUntilAsync(deltas, seq));
    }

    [Fact]
    public async Task A_client_that_negotiates_first_gets_a_WebSocket_on_our_path_and_the_picture_live()
    {
        var deltas = new List<long>();
        await using var connection = HubClient(HttpTransportType.WebSockets, deltas);
        await connection.StartAsync();
        // Our path names its connections itself; the negotiated id is SignalR's, never started, and swept by it.
        await connection.InvokeAsync<JsonElement>("Join", "live", null, null);

        var seq = await fixture.ReportWaterAsync("farsta-storforsplan", 815);
        Assert.Contains(seq, await DeltasUntilAsync(deltas, seq));
    }

    [Fact]
    public async Task A_negotiated_connection_that_nobody_uses_is_swept_by_SignalR()
    {
        // Our WebSocket path ignores a negotiated id, so the connection SignalR made for it must not stay.
        var fresh = await NegotiateAsync();
        var unused = await NegotiateAsync();
        using (var answer = await OpenEventStreamAsync(fresh))
            Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(20));
        using var late = await OpenEventStreamAsync(unused);
        output.WriteLine($"the unused negotiated connection after 20 s: {(int)late.StatusCode}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, late.StatusCode);
    }

    /// <summary>The official .NET client, negotiating, on one transport; the deltas' sequence numbers go to <paramref name="deltas"/>.</summary>
    private HubConnection HubClient(HttpTransportType transport, List<long> deltas)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Server.BaseAddress, "hubs/picture"), options =>
            {
                options.Transports = transport;
                options.AccessTokenProvider = () => Task.FromResult<string?>(fixture.Server.SignIn("anna"));
            })
            .Build();
        connection.On<JsonElement>("delta", d => { lock (deltas) deltas.Add(d.GetProperty("seq").GetInt64()); });
        return connection;
    }

    /// <summary>The deltas received, once <paramref name="seq"/> is among them or 5 s have passed.</summary>
    private static async Task<List<long>> DeltasUntilAsync(List<long> deltas, long seq)
    {
        for (var i = 0; i < 100; i++)
        {
            lock (deltas)
            {
                if (deltas.Contains(seq))
                    break;
            }
            await Task.Delay(50);
        }
        lock (deltas)
            return [.. deltas];
    }

    private async Task<string> NegotiateAsync()
    {
        using var answer = await fixture.Http.PostAsync("hubs/picture/negotiate?negotiateVersion=1", null);
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString()!;
    }

    private async Task<HttpResponseMessage> OpenEventStreamAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"hubs/picture?id={Uri.EscapeDataString(token)}");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    [Fact]
    public async Task A_delta_is_framed_once_however_many_connections_watch_and_every_one_gets_it()
    {
        var clients = new List<LiveClient>();
        try
        {
            for (var i = 0; i < 24; i++)
            {
                // Operators and partners: the same entry, with nothing internal in it, is the same message for both.
                var client = new LiveClient(fixture.Server.BaseAddress, user: i % 3 == 0 ? "polis" : "anna");
                clients.Add(client);
                await client.ConnectAsync();
            }
            var framedBefore = await DeltasFramedAsync();
            long last = 0;
            const int Changes = 10;
            for (var i = 0; i < Changes; i++)
                last = await fixture.ReportWaterAsync("sodermalm-tellus", 300 + i);
            foreach (var client in clients)
                await client.WaitForSeqAsync(last);
            var framed = await DeltasFramedAsync() - framedBefore;

            output.WriteLine($"{Changes} changes to {clients.Count} connections: {framed} deltas framed");
            Assert.Equal(Changes, framed);
            Assert.All(clients, c => Assert.Equal(0, c.Gaps));
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_client_speaking_the_WebSocket_protocol_by_hand_gets_its_pings_answered_its_fragments_joined_and_a_broken_frame_refused()
    {
        await using var raw = await RawWebSocket.ConnectAsync(fixture.Server, "anna");

        // The handshake record in three frames (a text frame and two continuations), the second written in two pieces.
        var handshake = Encoding.UTF8.GetBytes("""{"protocol":"json","version":1}""" + "\u001e");
        await raw.SendAsync(RawWebSocket.Frame(WebSocketOpcode.Text, handshake[..5], final: false));
        var middle = RawWebSocket.Frame(WebSocketOpcode.Continuation, handshake[5..20], final: false);
        await raw.SendAsync(middle[..3]);
        await raw.SendAsync(middle[3..]);
        await raw.SendAsync(RawWebSocket.Frame(WebSocketOpcode.Continuation, handshake[20..], final: true));
        var (opcode, payload) = await raw.ReceiveAsync();
        Assert.Equal((WebSocketOpcode.Text, "{}\u001e"), (opcode, Encoding.UTF8.GetString(payload)));

        await raw.SendAsync(RawWebSocket.Frame(WebSocketOpcode.Ping, "hej"u8.ToArray()));
        (opcode, payload) = await raw.ReceiveAsync();
        Assert.Equal((WebSocketOpcode.Pong, "hej"), (opcode, Encoding.UTF8.GetString(payload)));

        var unmasked = RawWebSocket.Frame(WebSocketOpcode.Text, "{}"u8.ToArray());
        await raw.SendAsync([unmasked[0], (byte)(unmasked[1] & 0x7F), .. "{}"u8.ToArray()]);
        (opcode, payload) = await raw.ReceiveAsync();
        output.WriteLine($"{opcode}: {Encoding.UTF8.GetString(payload.AsSpan(2))}");
        Assert.Equal(WebSocketOpcode.Close, opcode);
        Assert.Equal(1002, payload[0] << 8 | payload[1]);
        Assert.Equal("A client's frame must be masked.", Encoding.UTF8.GetString(payload.AsSpan(2)));
        Assert.True(await raw.ClosedAsync());
    }

    [Fact]
    public async Task A_handshake_the_protocol_does_not_allow_is_refused_with_400_and_what_is_wrong()
    {
        foreach (var (version, key, reason) in new[]
        {
            ("12", "dGhlIHNhbXBsZSBub25jZQ==", "The WebSocket version must be 13"),
            ("13", "c2hvcnQ=", "The WebSocket key must be 16 bytes in base64"),
        })
        {
            var before = await ConnectionsAsync();
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(fixture.Server.BaseAddress.Host, fixture.Server.BaseAddress.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET /hubs/picture?access_token={Uri.EscapeDataString(fixture.Server.SignIn("anna"))} HTTP/1.1\r\nHost: localhost\r\n" +
                $"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: {version}\r\nSec-WebSocket-Key: {key}\r\n\r\n"));
            var answer = await RawWebSocket.ReadHeadAndBodyAsync(stream);
            output.WriteLine(answer);
            Assert.StartsWith("HTTP/1.1 400", answer);
            Assert.Contains(reason, answer);
            Assert.Equal(before, await ConnectionsAsync());
        }
    }

    private static string Error(string completion) => JsonDocument.Parse(completion).RootElement.GetProperty("error").GetString()!;

    private async Task<int> ConnectionsAsync() =>
        (await fixture.Http.GetFromJsonAsync<JsonElement>("api/live/stats")).GetProperty("connections").GetInt32();

    private async Task<long> DeltasFramedAsync() =>
        (await fixture.Http.GetFromJsonAsync<JsonElement>("api/live/stats")).GetProperty("deltasFramed").GetInt64();

    /// <summary>The hub's JSON protocol spoken by hand over a WebSocket.</summary>
    private sealed class HandSpoken(ClientWebSocket socket) : IAsyncDisposable
    {
        private readonly StringBuilder _pending = new();

        public static async Task<HandSpoken> ConnectAsync(ServerProcess server, string user, string? handshake = """{"protocol":"json","version":1}""")
        {
            var socket = new ClientWebSocket();
            var address = new UriBuilder(new Uri(server.BaseAddress, "hubs/picture")) { Scheme = "ws", Query = "access_token=" + Uri.EscapeDataString(server.SignIn(user)) }.Uri;
            await socket.ConnectAsync(address, CancellationToken.None);
            var hub = new HandSpoken(socket);
            if (handshake is not null)
            {
                await hub.SendAsync(handshake);
                Assert.Equal("{}", await hub.ReceiveAsync());
            }
            return hub;
        }

        public Task SendAsync(string message) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(message + "\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);

        public async Task<string> InvokeAsync(string id, string target, string arguments) =>
            await CompletionAsync($$"""{"type":1,"invocationId":"{{id}}","target":"{{target}}","arguments":{{arguments}}}""", id);

        /// <summary>Sends a message and waits for the completion with its id (snapshots and pings on the way are skipped).</summary>
        public async Task<string> CompletionAsync(string message, string id)
        {
            await SendAsync(message);
            while (true)
            {
                var answer = await ReceiveAsync() ?? throw new InvalidOperationException("The server closed the connection.");
                using var json = JsonDocument.Parse(answer);
                if (json.RootElement.GetProperty("type").GetInt32() == 3 && json.RootElement.GetProperty("invocationId").GetString() == id)
                    return answer;
            }
        }

        /// <summary>Skips messages until one of the type (or the socket's close: null).</summary>
        public async Task<string?> ReceiveUntilAsync(int type, TimeSpan? within = null)
        {
            using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(10));
            while (true)
            {
                var message = await ReceiveAsync(timeout.Token);
                if (message is null || JsonDocument.Parse(message).RootElement.GetProperty("type").GetInt32() == type)
                    return message;
            }
        }

        /// <summary>The next message, or null when the server closed the socket.</summary>
        public async Task<string?> ReceiveAsync(CancellationToken cancellationToken = default)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (!cancellationToken.CanBeCanceled)
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var buffer = new byte[64 * 1024];
            while (true)
            {
                var text = _pending.ToString();
                var end = text.IndexOf('\u001e');
                if (end >= 0)
                {
                    _pending.Remove(0, end + 1);
                    return text[..end];
                }
                WebSocketReceiveResult received;
                try
                {
                    received = await socket.ReceiveAsync(buffer, timeout.Token);
                }
                catch (WebSocketException)
                {
                    return null;
                }
                if (received.MessageType == WebSocketMessageType.Close)
                    return null;
                _pending.Append(Encoding.UTF8.GetString(buffer, 0, received.Count));
            }
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private enum WebSocketOpcode : byte { Continuation = 0, Text = 1, Close = 8, Ping = 9, Pong = 10 }

    /// <summary>The WebSocket protocol spoken by hand over TCP (RFC 6455), for what a WebSocket client will not send.</summary>
    private sealed class RawWebSocket(System.Net.Sockets.TcpClient tcp, System.Net.Sockets.NetworkStream stream) : IAsyncDisposable
    {
        public static async Task<RawWebSocket> ConnectAsync(ServerProcess server, string user)
        {
            var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
            var stream = tcp.GetStream();
            var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET /hubs/picture?access_token={Uri.EscapeDataString(server.SignIn(user))} HTTP/1.1\r\nHost: localhost\r\n" +
                $"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n\r\n"));
            var head = await ReadHeadAsync(stream);
            Assert.StartsWith("HTTP/1.1 101", head);
            // RFC 6455 §4.2.2: the key's answer, computed here as the protocol says.
            var accept = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            Assert.Contains($"Sec-WebSocket-Accept: {accept}", head);
            return new RawWebSocket(tcp, stream);
        }

        /// <summary>A client's frame: masked, with the length in its shortest form.</summary>
        public static byte[] Frame(WebSocketOpcode opcode, byte[] payload, bool final = true)
        {
            var mask = Guid.NewGuid().ToByteArray()[..4];
            var header = payload.Length < 126
                ? new byte[] { (byte)((final ? 0x80 : 0) | (byte)opcode), (byte)(0x80 | payload.Length) }
                : [(byte)((final ? 0x80 : 0) | (byte)opcode), 0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length];
            return [.. header, .. mask, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
        }

        public async Task SendAsync(byte[] bytes)
        {
            await stream.WriteAsync(bytes);
            await stream.FlushAsync();
            // Apart on the wire: the server must put a frame together from what arrives.
            await Task.Delay(50);
        }

        /// <summary>The server's next frame (never masked).</summary>
        public async Task<(WebSocketOpcode Opcode, byte[] Payload)> ReceiveAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var head = new byte[2];
            await stream.ReadExactlyAsync(head, timeout.Token);
            Assert.Equal(0x80, head[0] & 0xF0);
            Assert.Equal(0, head[1] & 0x80);
            long length = head[1] & 0x7F;
            if (length >= 126)
            {
                var extended = new byte[length == 126 ? 2 : 8];
                await stream.ReadExactlyAsync(extended, timeout.Token);
                length = extended.Aggregate(0L, (sum, b) => sum << 8 | b);
            }
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload, timeout.Token);
            return ((WebSocketOpcode)(head[0] & 0x0F), payload);
        }

        /// <summary>True once the server has closed the TCP connection.</summary>
        public async Task<bool> ClosedAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                return await stream.ReadAsync(new byte[1], timeout.Token) == 0;
            }
            catch (IOException)
            {
                return true;
            }
        }

        public static async Task<string> ReadHeadAsync(Stream stream)
        {
            var head = new List<byte>();
            var one = new byte[1];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
            {
                await stream.ReadExactlyAsync(one, timeout.Token);
                head.Add(one[0]);
            }
            return Encoding.ASCII.GetString(head.ToArray());
        }

        /// <summary>An answer that is not an upgrade: its head and its body, by its length or in chunks.</summary>
        public static async Task<string> ReadHeadAndBodyAsync(Stream stream)
        {
            var head = await ReadHeadAsync(stream);
            var lines = head.Split("\r\n");
            if (lines.FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } line)
            {
                var body = new byte[int.Parse(line["Content-Length:".Length..].Trim())];
                await stream.ReadExactlyAsync(body);
                return head + Encoding.UTF8.GetString(body);
            }
            var text = new StringBuilder(head);
            while (true)
            {
                var size = Convert.ToInt32((await ReadLineAsync(stream)).Trim(), 16);
                var chunk = new byte[size + 2];
                await stream.ReadExactlyAsync(chunk);
                if (size == 0)
                    return text.ToString();
                text.Append(Encoding.UTF8.GetString(chunk, 0, size));
            }
        }

        private static async Task<string> ReadLineAsync(Stream stream)
        {
            var line = new List<byte>();
            var one = new byte[1];
            while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
            {
                await stream.ReadExactlyAsync(one);
                line.Add(one[0]);
            }
            return Encoding.ASCII.GetString(line.ToArray());
        }

        public ValueTask DisposeAsync()
        {
            tcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
