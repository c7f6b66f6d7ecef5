using Lagesbild.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lagesbild.Cluster.Tests;

/// <summary>
/// The compose topology as plain processes: one redis-server with an fsynced append-only
/// file, and Lagesbild nodes (silo + API + hub each) that share it.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private Cluster(RedisServerProcess redis, IReadOnlyList<ServerProcess> nodes)
    {
        Redis = redis;
        Nodes = nodes;
    }

    public RedisServerProcess Redis { get; }
    public IReadOnlyList<ServerProcess> Nodes { get; }

    public static async Task<Cluster> StartAsync(int nodes = 2, IDictionary<string, string>? settings = null)
    {
        var redis = new RedisServerProcess();
        await redis.StartAsync();
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        // One development signing key for all: a token from one node opens every node.
        var signingKey = DevTokens.NewSigningKey();
        var servers = Enumerable.Range(0, nodes).Select(_ =>
        {
            var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
            {
                ["Lagesbild:Storage:Redis"] = redis.ConnectionString,
                ["Lagesbild:Cluster:ClusterId"] = clusterId,
                ["Lagesbild:Auth:DevelopmentSigningKey"] = signingKey,
            };
            return new ServerProcess(settings: all);
        }).ToList();
        await Task.WhenAll(servers.Select(s => s.StartAsync()));
        return new Cluster(redis, servers);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
            await node.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
