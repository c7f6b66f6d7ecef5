using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace Lagesbild.Server.Live;

/// <summary>
/// One live connection as delivery sees it, whichever way it came: a WebSocket on our own hub
/// path (<see cref="HubSocket"/>), or server-sent events through stock SignalR
/// (<see cref="SignalRConnection"/>). Delivery writes messages serialized once per readership.
/// </summary>
public interface ILiveConnection
{
    string ConnectionId { get; }
    ClaimsPrincipal User { get; }
    /// <summary>Cancelled when the connection has ended.</summary>
    CancellationToken ConnectionAborted { get; }

    /// <summary>Writes one message; completes at once unless the connection pushes back.</summary>
    ValueTask WriteAsync(SerializedHubMessage message);

    /// <summary>Ends the connection; the client may reconnect (and resume).</summary>
    void Abort();
}
