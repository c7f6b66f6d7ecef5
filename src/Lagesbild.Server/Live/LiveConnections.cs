using System.Collections.Concurrent;

namespace Lagesbild.Server.Live;

/// <summary>The connections to this node's hub, and which picture each one watches.</summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, ILiveConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientFeed> _feeds = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public IEnumerable<ClientFeed> Feeds => _feeds.Values;

    /// <summary>
    /// Every connection, on either path. Walked without a copy: the dictionary's <c>Values</c>
    /// copies all of them into a new list, and the node's timer walks them every second.
    /// </summary>
    public IEnumerable<ILiveConnection> All => _connections.Select(pair => pair.Value);

    public void Connected(ILiveConnection connection) => _connections[connection.ConnectionId] = connection;

    public void Disconnected(string connectionId)
    {
        _connections.TryRemove(connectionId, out _);
        if (_feeds.TryRemove(connectionId, out var feed))
            feed.Close();
    }

    public ILiveConnection? Find(string connectionId) => _connections.GetValueOrDefault(connectionId);

    /// <summary>Closes this node's connections whose signed-in person is no longer signed in (a revoked token); returns how many.</summary>
    public int CloseWhere(Func<System.Security.Claims.ClaimsPrincipal, bool> ended)
    {
        var closed = 0;
        foreach (var connection in _connections.Values)
        {
            if (ended(connection.User))
            {
                connection.Abort();
                closed++;
            }
        }
        return closed;
    }

    /// <summary>Makes <paramref name="feed"/> the connection's one feed, closing any earlier one.</summary>
    public void Watch(ClientFeed feed)
    {
        if (_feeds.TryGetValue(feed.ConnectionId, out var earlier))
            earlier.Close();
        _feeds[feed.ConnectionId] = feed;
        if (!_connections.ContainsKey(feed.ConnectionId))
            Disconnected(feed.ConnectionId);
    }
}
