using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Lagesbild.Bench.Clients;

/// <summary>
/// The WebSocket under a <see cref="HubSocketClient"/>: text messages out, the payload of
/// text messages in (as it arrives, message boundaries do not matter: hub messages carry
/// their own separator).
/// </summary>
public abstract class HubTransport : IDisposable
{
    public abstract Task ConnectAsync(Uri hub, CancellationToken cancellationToken);

    /// <summary>Sends one text message; concurrent calls go out one after the other, never interleaved.</summary>
    public abstract Task SendAsync(ReadOnlyMemory<byte> message);

    /// <summary>Payload bytes of text messages; 0 once the server closed the connection (see <see cref="CloseReason"/>).</summary>
    public abstract ValueTask<int> ReceiveAsync(Memory<byte> buffer);

    public string? CloseReason { get; protected set; }

    public abstract void Dispose();

    /// <summary>A TCP connection from <paramref name="source"/>, so thousands of them do not run out of ephemeral ports.</summary>
    protected static async Task<Socket> ConnectFromAsync(IPAddress source, EndPoint server, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(server, cancellationToken);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>.NET's <see cref="ClientWebSocket"/> (<c>--client socket</c>).</summary>
public sealed class ClientWebSocketTransport(HttpMessageInvoker invoker) : HubTransport
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>An invoker whose connections come from <paramref name="source"/>; share one between many transports.</summary>
    public static HttpMessageInvoker InvokerFrom(IPAddress source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
            new NetworkStream(await ConnectFromAsync(source, context.DnsEndPoint, cancellationToken), ownsSocket: true),
    });

    public override async Task ConnectAsync(Uri hub, CancellationToken cancellationToken)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero; // SignalR's own pings keep it alive.
        await _socket.ConnectAsync(hub, invoker, cancellationToken);
    }

    public override async Task SendAsync(ReadOnlyMemory<byte> message)
    {
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
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
            var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                CloseReason = $"closed by the server ({_socket.CloseStatus} {_socket.CloseStatusDescription})";
                return 0;
            }
            if (result.Count > 0)
                return result.Count;
        }
    }

    public override void Dispose()
    {
        _socket.Abort();
        _socket.Dispose();
    }
}
