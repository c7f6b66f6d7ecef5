using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// The hub's JSON protocol spoken by hand over a WebSocket, so a test can send frames no
/// SignalR client would write: broken JSON, lone surrogates, invalid UTF-8, nesting past
/// the reader's limit, message types that do not exist.
/// </summary>
public sealed class RawHub(ServerProcess server, string user) : IAsyncDisposable
{
    private const char Separator = '\u001e';
    private ClientWebSocket? _socket;
    private readonly StringBuilder _pending = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    public const string Stalled = "connection stalled (answers nothing more)";

    public int Connections { get; private set; }

    /// <summary>Sends one frame (the separator is added) and a probe after it; says what became of the frame.</summary>
    public async Task<string> SendAsync(byte[] frame, string? invocationId)
    {
        var socket = await ConnectAsync();
        // A frame with no invocation id gets no answer; only the probe's is awaited, and not for long.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(invocationId is null ? 2 : 10));
        try
        {
            await socket.SendAsync(frame.Append((byte)Separator).ToArray(), WebSocketMessageType.Text, true, timeout.Token);
            // The probe: a Join that must be refused with 404; its answer shows the connection still works.
            await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":1,"invocationId":"probe","target":"Join","arguments":["ex-finns-inte",null,null]}""" + Separator),
                WebSocketMessageType.Text, true, timeout.Token);

            string? answer = null;
            while (true)
            {
                var message = await ReceiveAsync(socket, timeout.Token);
                if (message is null)
                    return Closed();
                using var document = JsonDocument.Parse(message);
                var root = document.RootElement;
                var type = root.GetProperty("type").GetInt32();
                if (type == 7)
                    return Closed();
                if (type != 3)
                    continue;
                var id = root.GetProperty("invocationId").GetString();
                var outcome = root.TryGetProperty("error", out var error) ? error.GetString()! : "result";
                if (id == invocationId)
                    answer = outcome;
                if (id == "probe")
                    return answer ?? (invocationId is null ? "no answer expected; connection still works" : "no answer before the probe's");
            }
        }
        catch (Exception error) when (error is WebSocketException or IOException)
        {
            return Closed();
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Closed();
            // SignalR (not Lagesbild) skips a message of a type it does not know and from then on
            // answers nothing on that connection; the client only stalls itself.
            return invocationId is null ? Stalled : "no answer in 10 s";
        }
    }

    private string Closed()
    {
        _socket?.Dispose();
        _socket = null;
        return "connection closed by the server";
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        if (_socket is { State: WebSocketState.Open })
            return _socket;
        var socket = new ClientWebSocket();
        var address = new UriBuilder(new Uri(server.BaseAddress, "hubs/picture")) { Scheme = "ws", Query = "access_token=" + Uri.EscapeDataString(server.SignIn(user)) }.Uri;
        await socket.ConnectAsync(address, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"protocol":"json","version":1}""" + Separator), WebSocketMessageType.Text, true, CancellationToken.None);
        _pending.Clear();
        _decoder.Reset();
        var handshake = await ReceiveAsync(socket, CancellationToken.None);
        if (handshake != "{}")
            throw new InvalidOperationException($"The hub's handshake answered {handshake}.");
        Connections++;
        return _socket = socket;
    }

    /// <summary>The next complete message, or null when the server closed the socket.</summary>
    private async Task<string?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(Separator);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                return text[..end];
            }
            var received = await socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
                return null;
            var chars = new char[_decoder.GetCharCount(buffer, 0, received.Count)];
            _decoder.GetChars(buffer, 0, received.Count, chars, 0);
            _pending.Append(chars);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket?.Dispose();
        return ValueTask.CompletedTask;
    }
}
