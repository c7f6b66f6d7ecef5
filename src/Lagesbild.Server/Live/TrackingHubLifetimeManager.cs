using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Lagesbild.Server.Access;

namespace Lagesbild.Server.Live;

/// <summary>
/// Wraps SignalR's lifetime manager (in-process, or the Redis backplane) to learn each
/// connection's context, which live delivery writes to directly with pre-serialized messages,
/// and to let go of what the connection's HTTP request no longer needs once it is up. Only
/// server-sent events come this way: a WebSocket is served by our own path (<see cref="HubSocket"/>).
/// </summary>
public sealed class TrackingHubLifetimeManager<THub>(
    HubLifetimeManager<THub> inner, LiveConnections connections, TokenRevocations revocations, LiveConnectionCap cap) : HubLifetimeManager<THub>
    where THub : Hub
{
    /// <summary>
    /// Each admitted connection's place under the caps, kept here rather than in the connection's
    /// <c>Items</c>: SignalR creates that dictionary on first use, about 0.5 KB for every idle
    /// connection (issue 21, item 2), where an entry here is about 60 bytes.
    /// </summary>
    private readonly ConcurrentDictionary<string, (string Person, string Address)> _places = new(StringComparer.Ordinal);

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        // The connection's place under the caps; the request's check (LiveConnectionCap.AdmitAsync)
        // refused most connections over a cap with 429, and one that slipped past in a burst ends here.
        var place = (Person: connection.User.FindFirst("sub")?.Value ?? "", Address: connection.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? "");
        var admitted = cap.TryTake(place.Person, place.Address);
        if (admitted)
            _places[connection.ConnectionId] = place;
        connections.Connected(new SignalRConnection(connection));
        await connection.GetHttpContext().ReleaseRequestServicesAsync();
        await inner.OnConnectedAsync(connection);
        // A token revoked after its check but before this connection was counted would be missed
        // by the revocation's sweep (LiveConnections.CloseWhere): ask again now that it is.
        if (!admitted || revocations.IsRevoked(connection.User))
            connection.Abort();
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (_places.TryRemove(connection.ConnectionId, out var held))
            cap.Release(held.Person, held.Address);
        connections.Disconnected(connection.ConnectionId);
        await inner.OnDisconnectedAsync(connection);
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendAllAsync(methodName, args, cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendConnectionsAsync(connectionIds, methodName, args, cancellationToken);

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendGroupAsync(groupName, methodName, args, cancellationToken);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendGroupsAsync(groupNames, methodName, args, cancellationToken);

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        inner.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendUserAsync(userId, methodName, args, cancellationToken);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendUsersAsync(userIds, methodName, args, cancellationToken);

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        inner.AddToGroupAsync(connectionId, groupName, cancellationToken);

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        inner.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        inner.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, Microsoft.AspNetCore.SignalR.Protocol.CompletionMessage result) =>
        inner.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        inner.TryGetReturnType(invocationId, out type);
}
