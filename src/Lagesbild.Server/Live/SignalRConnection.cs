using System.Security.Claims;
using Microsoft.AspNetCore.SignalR;

namespace Lagesbild.Server.Live;

/// <summary>A connection through stock SignalR (server-sent events), as delivery sees it.</summary>
public sealed class SignalRConnection(HubConnectionContext context) : ILiveConnection
{
    public string ConnectionId => context.ConnectionId;
    public ClaimsPrincipal User => context.User;
    public CancellationToken ConnectionAborted => context.ConnectionAborted;
    public ValueTask WriteAsync(SerializedHubMessage message) => context.WriteAsync(message);
    public void Abort() => context.Abort();
}
