using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Garnet;
using Lagesbild.Grains.Picture;

namespace Lagesbild.Server.Storage;

/// <summary>
/// The embedded Redis-compatible store (Microsoft Garnet) that runs inside the server when
/// no Redis is configured, so one command runs everything and a restart loses nothing.
/// </summary>
public sealed class EmbeddedStore : IDisposable
{
    private readonly Task<GarnetServer> _server;

    private readonly string _password;

    private EmbeddedStore(Task<GarnetServer> server, int port, string password)
    {
        _server = server;
        Port = port;
        _password = password;
    }

    public int Port { get; }

    /// <summary>Completes when Garnet has replayed its append-only file and accepts connections.</summary>
    public Task Started => _server;

    /// <summary>Thread-pool threads kept ready while the embedded store runs (see <see cref="Start"/>).</summary>
    private const int MinWorkerThreads = 8;

    /// <summary>The store's address and password, for this process only (the picture store, Orleans' clustering).</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={_password},abortConnect=false";

    public static EmbeddedStore Start(StorageOptions options)
    {
        System.ComponentModel.DataAnnotations.Validator.ValidateObject(options, new(options), validateAllProperties: true);
        var directory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(directory);
        var port = options.EmbeddedPort == 0 ? FreePort() : options.EmbeddedPort;
        // Loopback is open to every process on the host. Only a client that knows the password
        // may read or write: by default a new one every start, known to this process alone.
        var password = string.IsNullOrEmpty(options.EmbeddedPassword) ? Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) : options.EmbeddedPassword;
        // A Garnet session waiting for its commit blocks a thread-pool thread, and the commit
        // completes on other pool threads. With the pool's minimum (one per core) that starved
        // the pool until it added a thread, about 0.7 s, on the first write of every start.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), completionPorts);
        var arguments = GarnetStore.Arguments(directory, port, password, options.DurableAcknowledgement);
        // Reading its options, opening its files and replaying the append-only file is about a
        // third of a second of one core; it runs on the other core while the host is configured
        // and built, which needs only the address and password known here (issue 21, item 4).
        var server = Task.Run(() =>
        {
            var garnet = GarnetStore.Create(arguments);
            garnet.Start();
            return garnet;
        });
        return new EmbeddedStore(server, port, password);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (_server.IsCompletedSuccessfully)
            _server.Result.Dispose();
    }
}
