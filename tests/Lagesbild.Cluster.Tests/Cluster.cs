using Lagesbild.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lagesbild.Cluster.Tests;

/// <summary>
/// The compose topology as plain processes: one redis-server with an fsynced append-only
/// file, and Lagesbild nodes (silo + API + hub each) that share it. Started partitionable,
/// each node's links go through proxies a test can black-hole or cut: to the store, into
/// its silo (from the other nodes) and from its clients.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private Cluster(RedisServerProcess redis, IReadOnlyList<ServerProcess> nodes, IReadOnlyList<NodeLinks> links)
    {
        Redis = redis;
        Nodes = nodes;
        Links = links;
    }

    public RedisServerProcess Redis { get; }
    public IReadOnlyList<ServerProcess> Nodes { get; }

    /// <summary>Each node's proxied links, when started partitionable; empty otherwise.</summary>
    public IReadOnlyList<NodeLinks> Links { get; }

    public static async Task<Cluster> StartAsync(int nodes = 2, IDictionary<string, string>? settings = null, bool partitionable = false)
    {
        var redis = new RedisServerProcess();
        await redis.StartAsync();
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        // One development signing key for all: a token from one node opens every node.
        var signingKey = DevTokens.NewSigningKey();
        var links = new List<NodeLinks>();
        var servers = Enumerable.Range(0, nodes).Select(_ =>
        {
            var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
            {
                ["Lagesbild:Storage:Redis"] = redis.ConnectionString,
                ["Lagesbild:Cluster:ClusterId"] = clusterId,
                ["Lagesbild:Auth:DevelopmentSigningKey"] = signingKey,
            };
            var server = new ServerProcess(settings: all);
            if (partitionable)
            {
                var node = new NodeLinks(new LoopbackProxy(redis.Port), new LoopbackProxy(server.SiloPort), new LoopbackProxy(server.HttpPort));
                links.Add(node);
                server.Settings["Lagesbild:Storage:Redis"] = redis.ConnectionStringVia(node.Store.Port);
                // Other nodes reach this silo at the proxy's port; it listens on its own.
                server.Settings["Lagesbild:Cluster:SiloPort"] = node.Silo.Port.ToString();
                server.Settings["Lagesbild:Cluster:SiloListenPort"] = server.SiloPort.ToString();
            }
            return server;
        }).ToList();
        var cluster = new Cluster(redis, servers, links);
        try
        {
            await Task.WhenAll(servers.Select(s => s.StartAsync()));
        }
        catch
        {
            // A node that did not become ready must not leave the others and the store running.
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
            await node.DisposeAsync();
        foreach (var link in Links)
            await link.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
