using System.Net;
using System.Net.Sockets;
using Garnet;
using Lagesbild.Grains.Picture;
using StackExchange.Redis;

namespace Lagesbild.Grains.Tests;

/// <summary>
/// A real Garnet, started with the same arguments as the server's embedded store
/// (<see cref="GarnetStore"/>), on a free loopback port with a data folder of its own that is removed afterwards.
/// </summary>
public sealed class EmbeddedGarnet : IAsyncDisposable
{
    private readonly GarnetServer _server;
    private readonly string _directory;

    private EmbeddedGarnet(GarnetServer server, string directory, ConnectionMultiplexer redis)
    {
        _server = server;
        _directory = directory;
        Redis = redis;
    }

    public ConnectionMultiplexer Redis { get; }

    /// <summary>The data folder (the append-only file is under checkpoints/AOF).</summary>
    public string DataDirectory => _directory;

    public static Task<EmbeddedGarnet> StartAsync() =>
        StartAsync(Path.Combine(Path.GetTempPath(), $"lagesbild-grains-tests-{Guid.NewGuid():N}"));

    /// <summary>A Garnet on <paramref name="directory"/>, recovering what is there (removed afterwards too).</summary>
    public static async Task<EmbeddedGarnet> StartAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        var port = FreePort();
        // The server's own arguments (GarnetStore), password and all.
        var password = Guid.NewGuid().ToString("N");
        var server = GarnetStore.Create(GarnetStore.Arguments(directory, port, password, durableAcknowledgement: true));
        server.Start();
        var redis = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{port},password={password},abortConnect=false");
        return new EmbeddedGarnet(server, directory, redis);
    }

    /// <summary>Every key and its contents, for proving that something was, or was not, written.</summary>
    public async Task<SortedDictionary<string, string>> SnapshotAsync(Func<string, bool> include)
    {
        var server = Redis.GetServer(Redis.GetEndPoints().Single());
        var db = Redis.GetDatabase();
        var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            if (!include(key.ToString()))
                continue;
            snapshot[key.ToString()] = await db.KeyTypeAsync(key) switch
            {
                RedisType.String => (await db.StringGetAsync(key)).ToString(),
                RedisType.Hash => string.Join("\n", (await db.HashGetAllAsync(key))
                    .Select(e => $"{e.Name}={e.Value}").Order(StringComparer.Ordinal)),
                RedisType.SortedSet => string.Join("\n", (await db.SortedSetRangeByRankWithScoresAsync(key))
                    .Select(e => $"{e.Element}@{e.Score}")),
                var other => $"({other})",
            };
        }
        return snapshot;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        _server.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean the temp folder.
        }
    }
}
