using System.Buffers;
using System.Security.Claims;
using System.Text.Json;
using Lagesbild.Server.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Live;

/// <summary>
/// The hub's WebSockets, served by our own path (<see cref="HubSocket"/>) instead of SignalR's
/// connection pipes: a request for a WebSocket at the hub's address, once signed in, authorized
/// and under the caps (<see cref="LiveConnectionCap"/>), is taken over here, with or without a
/// negotiated <c>?id=</c> (SignalR sweeps the negotiated connection nobody used). Server-sent
/// events stay on stock SignalR. The node's one timer pings every connection that has been silent
/// for <see cref="HubOptions.KeepAliveInterval"/>, closes one the client has been silent on for
/// <see cref="HubOptions.ClientTimeoutInterval"/> or whose token expired, and ends one whose send
/// has been stuck past the write timeout.
/// </summary>
public sealed class HubSockets(
    LiveProtocol protocol,
    LiveCalls calls,
    HubRateLimit rateLimit,
    LiveConnections connections,
    LiveConnectionCap cap,
    TokenRevocations revocations,
    LiveMetrics metrics,
    IOptions<HubOptions> hub,
    IOptions<LiveOptions> live,
    ILogger<HubSockets> logger) : BackgroundService
{
    /// <summary>The hub's address, as mapped in Program.cs.</summary>
    public const string Path = "/hubs/picture";

    /// <summary>A client that has not answered a close in this time is cut off.</summary>
    private const long CloseGraceMs = 5_000;

    internal static readonly ReadOnlyMemory<byte> Ping = new JsonHubProtocol().GetMessageBytes(PingMessage.Instance);
    private static readonly ReadOnlyMemory<byte> HandshakeDone = HandshakeAnswerBytes(HandshakeResponseMessage.Empty);
    private static long s_connections;

    private readonly HubSocketTimes _times = new(
        (long)(hub.Value.KeepAliveInterval ?? TimeSpan.FromSeconds(15)).TotalMilliseconds,
        (long)(hub.Value.ClientTimeoutInterval ?? TimeSpan.FromSeconds(30)).TotalMilliseconds,
        live.Value.WriteTimeoutSeconds * 1000L,
        CloseGraceMs);

    public IHubProtocol Protocol => protocol;

    /// <summary>The JSON protocol's bytes with their WebSocket header: what a connection writes.</summary>
    internal IHubProtocol Framed { get; } = new FramedHubProtocol(protocol);
    public long MaxMessageBytes { get; } = hub.Value.MaximumReceiveMessageSize ?? long.MaxValue;

    /// <summary>True for a request this path takes: a WebSocket at the hub's address.</summary>
    public static bool Takes(HttpContext http) =>
        http.IsWebSocketHandshake() && http.Request.Path.Value?.TrimEnd('/').Equals(Path, StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>
    /// The outermost step of the pipeline for a hub WebSocket: the rest of the pipeline only admits
    /// it (<see cref="Admit"/>: signed in, authorized, under the rate limits and caps), and it is
    /// served here once that pipeline has returned. A socket stays open for hours, and every
    /// middleware that awaited it for that long kept its state as long (authentication,
    /// authorization, rate limiting, the exception handler; BENCHMARKS.md, H41). An error before
    /// the socket is accepted is answered here as the exception handler would: logged, and a 500
    /// with ProblemDetails.
    /// </summary>
    public static Task ServeAdmittedAsync(HttpContext http, RequestDelegate next) =>
        Takes(http) ? ServeAfterPipelineAsync(http, next) : next(http);

    /// <summary>The pipeline's last step for a hub WebSocket that passed it: served by <see cref="ServeAdmittedAsync"/>.</summary>
    public static Task Admit(HttpContext http)
    {
        http.Features.Set(Admitted.Instance);
        return Task.CompletedTask;
    }

    private static async Task ServeAfterPipelineAsync(HttpContext http, RequestDelegate next)
    {
        await next(http);
        // Resolved at the first socket, not at start: it needs the store's connection.
        if (http.Features.Get<Admitted>() is null || http.Response.HasStarted)
            return;
        HubSocket? connection;
        try
        {
            connection = await http.RequestServices.GetRequiredService<HubSockets>().AcceptAsync(http);
        }
        catch (Exception error) when (!http.Response.HasStarted)
        {
            http.RequestServices.GetRequiredService<ILogger<HubSockets>>().LogError(error, "A live map's WebSocket could not be accepted");
            http.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                Exception = error,
                ProblemDetails = { Status = StatusCodes.Status500InternalServerError, Title = "The live connection could not be opened; try again." },
            });
            return;
        }
        // Served from here, not from inside the accept: the accept's state is let go of once the
        // socket is up, and only this method and the connection's receive loop wait for hours.
        if (connection is not null)
            await connection.RunAsync();
    }

    /// <summary>Set on a request the pipeline let through to the hub's WebSocket.</summary>
    private sealed class Admitted
    {
        public static readonly Admitted Instance = new();
    }

    /// <summary>
    /// Accepts the WebSocket, the request's authentication and caps having run; null when the
    /// socket was refused after all. The connection releases its cap when it ends (<see cref="Disconnected"/>).
    /// </summary>
    private async Task<HubSocket?> AcceptAsync(HttpContext http)
    {
        var user = http.User;
        var person = user.FindFirstValue("sub") ?? "";
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "";
        // As SignalR's CloseOnAuthenticationExpiration reads it.
        var expires = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Properties?.ExpiresUtc;
        var (transport, refusal) = await AcceptWebSocketAsync(http);
        if (transport is null)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = StatusCodes.Status400BadRequest, Title = "Not a WebSocket handshake this server can accept.", Detail = refusal },
            });
            return null;
        }
        await http.ReleaseRequestServicesAsync();
        http.ForgetHandshake();
        // The request's check refused most connections over a cap with 429; one that slipped past in a burst ends here.
        if (!cap.TryTake(person, address))
        {
            http.Abort();
            return null;
        }
        try
        {
            var connection = new HubSocket(this, http, transport, user, $"ws-{Interlocked.Increment(ref s_connections)}", expires, person, address);
            connections.Connected(connection);
            // A token revoked after its check but before this connection was counted would be missed
            // by the revocation's sweep (LiveConnections.CloseWhere): ask again now that it is.
            if (revocations.IsRevoked(user))
                connection.Abort();
            return connection;
        }
        catch
        {
            cap.Release(person, address);
            http.Abort();
            throw;
        }
    }

    /// <summary>
    /// Answers the client's WebSocket handshake and switches the request to the WebSocket protocol,
    /// spoken from then on by <see cref="HubSocket"/> over the switched connection's stream: HTTP/1.1's
    /// upgrade (RFC 6455 §4.2.2, 101 with the key's answer) or HTTP/2's extended CONNECT (RFC 8441,
    /// 200). No subprotocol and no extension is agreed: SignalR's clients ask for neither, and a
    /// client that offers compression gets none. The connection's transport once switched, else
    /// what is wrong with the handshake.
    /// </summary>
    private static async Task<(Stream? Transport, string? Refusal)> AcceptWebSocketAsync(HttpContext http)
    {
        var headers = http.Request.Headers;
        if (headers.SecWebSocketVersion.ToString() != "13")
            return (null, "The WebSocket version must be 13 (Sec-WebSocket-Version).");
        if (http.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            if (!string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase))
                return (null, $"The extended CONNECT's protocol must be websocket, not '{connect.Protocol}'.");
            return (await connect.AcceptAsync(), null);
        }
        var key = headers.SecWebSocketKey.ToString();
        if (!HttpMethods.IsGet(http.Request.Method) || !string.Equals(headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase))
            return (null, "A WebSocket handshake is a GET with Upgrade: websocket.");
        if (!WebSocketFrames.IsValidKey(key))
            return (null, "The WebSocket key must be 16 bytes in base64 (Sec-WebSocket-Key).");
        if (http.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true } upgrade)
            return (null, "This request cannot be upgraded.");
        http.Response.Headers.Connection = "Upgrade";
        http.Response.Headers.Upgrade = "websocket";
        http.Response.Headers.SecWebSocketAccept = WebSocketFrames.Accept(key);
        return (await upgrade.UpgradeAsync(), null);
    }

    internal void Disconnected(HubSocket connection)
    {
        connections.Disconnected(connection.ConnectionId);
        cap.Release(connection.Person, connection.Address);
    }

    internal void TimedOut() => metrics.TimedOut();

    internal void Failed(string target, Exception error) => logger.LogError(error, "Invoking {Target} over the hub's WebSocket failed", target);

    /// <summary>Runs a client's invocation of one of the hub's methods, under the same per-person limit as SignalR's filter.</summary>
    internal async Task<object?> InvokeAsync(HubSocket connection, InvocationMessage invocation)
    {
        rateLimit.Admit(connection.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? connection.User.FindFirstValue("sub") ?? connection.ConnectionId);
        var arguments = invocation.Arguments;
        return invocation.Target switch
        {
            HubMethods.Join => await calls.JoinAsync(connection.ConnectionId, connection.User, (string)arguments[0]!, (long?)arguments[1], (string?)arguments[2]),
            HubMethods.Send => await calls.SendAsync(connection.User, (string)arguments[0]!, (string)arguments[1]!, arguments[2] is JsonElement command ? command : Null),
            _ => throw new HubException("Method does not exist."),
        };
    }

    private static readonly JsonElement Null = JsonDocument.Parse("null").RootElement.Clone();

    /// <summary>The client's handshake: null when it asks for this protocol, else what is wrong with it.</summary>
    internal string? Handshake(byte[] record)
    {
        var input = new ReadOnlySequence<byte>(record);
        try
        {
            if (!HandshakeProtocol.TryParseRequestMessage(ref input, out var request))
                return "The handshake could not be read.";
            if (request.Protocol != protocol.Name)
                return $"The protocol '{request.Protocol}' is not supported.";
            if (!protocol.IsVersionSupported(request.Version))
                return $"The server does not support version {request.Version} of the '{request.Protocol}' protocol.";
            return null;
        }
        catch (Exception error) when (error is InvalidDataException or JsonException)
        {
            return "The handshake could not be read: it must be {\"protocol\":\"json\",\"version\":1} followed by the record separator.";
        }
    }

    internal static ReadOnlyMemory<byte> HandshakeAnswer(string? refusal) =>
        refusal is null ? HandshakeDone : HandshakeAnswerBytes(new HandshakeResponseMessage(refusal));

    private static ReadOnlyMemory<byte> HandshakeAnswerBytes(HandshakeResponseMessage answer)
    {
        var output = new ArrayBufferWriter<byte>(64);
        HandshakeProtocol.WriteResponseMessage(answer, output);
        return output.WrittenMemory;
    }

    /// <summary>A message from the client, bound to the hub's methods; null with the reason when it cannot be read.</summary>
    internal HubMessage? Parse(byte[] record, out string? unreadable)
    {
        var input = new ReadOnlySequence<byte>(record);
        unreadable = null;
        try
        {
            if (protocol.TryParseMessage(ref input, HubSocketBinder.Instance, out var message))
                return message;
            unreadable = "The message's type is not one of the hub protocol's.";
        }
        catch (Exception error) when (error is InvalidDataException or JsonException or FormatException or ArgumentException)
        {
            // The protocol's own words say what is wrong; the reader's could name types.
            unreadable = error is InvalidDataException ? error.Message : "The message is not valid JSON.";
        }
        return null;
    }

    internal ReadOnlyMemory<byte> Error(string invocationId, string error) => protocol.GetMessageBytes(CompletionMessage.WithError(invocationId, error));

    internal ReadOnlyMemory<byte> CloseFrame(string? error, bool allowReconnect) => protocol.GetMessageBytes(new CloseMessage(error, allowReconnect));

    /// <summary>SignalR's words for arguments that do not fit the method, with the protocol's reason (it names no types).</summary>
    internal static string BindingError(InvocationBindingFailureMessage failure) =>
        failure.BindingFailure.SourceException is HubException or InvalidDataException
            ? $"Failed to invoke '{failure.Target}' due to an error on the server. {failure.BindingFailure.SourceException.Message}"
            : $"Failed to invoke '{failure.Target}' due to an error on the server.";

    /// <summary>SignalR's words, which the page and the .NET clients read a refusal's ProblemDetails from (after the first brace).</summary>
    internal static string InvocationError(string target, Exception error) =>
        error is HubException
            ? $"An unexpected error occurred invoking '{target}' on the server. HubException: {error.Message}"
            : $"An unexpected error occurred invoking '{target}' on the server.";

    internal static string Unsupported(HubMessage message) => message switch
    {
        CompletionMessage => "The server invokes nothing on the client, so a completion from the client is not expected.",
        StreamItemMessage => "Streams from the client are not supported by this hub.",
        CancelInvocationMessage => "There is no stream to cancel: this hub does not stream.",
        AckMessage or SequenceMessage => "Stateful reconnect is not supported by this hub.",
        _ => "This message type is not supported by this hub.",
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Environment.TickCount64;
                var unixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                foreach (var connection in connections.All)
                {
                    if (connection is HubSocket socket)
                        socket.Tick(now, unixMs, _times);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>On the way down every WebSocket still open is closed, so that its client reconnects elsewhere and the server can stop.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var connection in connections.All)
        {
            if (connection is HubSocket socket)
                socket.Abort();
        }
        await base.StopAsync(cancellationToken);
    }
}

/// <summary>Binds a client's invocation to the hub's methods, whose signatures (<see cref="LiveHub"/>) are the one definition.</summary>
internal sealed class HubSocketBinder : IInvocationBinder
{
    public static readonly HubSocketBinder Instance = new();

    private static readonly Dictionary<string, Type[]> Parameters = HubMethods.OnServer.ToDictionary(
        name => name,
        name => typeof(LiveHub).GetMethod(name)!.GetParameters().Select(p => p.ParameterType).ToArray(),
        StringComparer.Ordinal);

    public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
        Parameters.TryGetValue(methodName, out var types) ? types : throw new HubException("Method does not exist.");

    // The server invokes nothing that answers and streams nothing from the client; such messages are refused after parsing.
    public Type GetReturnType(string invocationId) => typeof(object);

    public Type GetStreamItemType(string streamId) => typeof(object);
}
