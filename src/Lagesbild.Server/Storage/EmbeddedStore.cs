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
    private readonly GarnetServer _server;

    private readonly string _password;

    private EmbeddedStore(GarnetServer server, int port, string password)
    {
        _server = server;
        Port = port;
        _password = password;
    }

    public int Port { get; }

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
        List<string> args =
        [
            "--bind", "127.0.0.1",
            "--port", port.ToString(),
            "--auth", "Password",
            "--password", password,
            // Orleans' Redis clustering and the loggbok's append script need Lua. In transaction
            // mode a script's writes are one transaction in the append-only file: replay after a
            // crash applies all of them or none (without it, a script cut short by a crash
            // could come back half applied, state without its loggbok entry).
            "--lua", "--lua-transaction-mode",
            // Every write goes to the append-only file and is replayed at start.
            "--aof", "--recover",
            "--storage-tier",
            "--logdir", Path.Combine(directory, "store"),
            "--checkpointdir", Path.Combine(directory, "checkpoints"),
            // Debian 12's kernel lacks what Garnet's default native device needs. FileStream
            // opens the files with O_SYNC, so a write has reached the disk when it returns;
            // RandomAccess writes with O_DIRECT and never fsyncs, which survives a process
            // crash but not a power cut (the disk's write cache is volatile).
            "--device-type", "FileStream",
            // The hash index: Garnet's default (128 MB, sized for millions of keys) was most of
            // the server's heap. A picture uses a few hundred keys (one per entity and district
            // index, the rest are hashes and sorted sets); 8 MB is 131,072 buckets of 7 keys.
            "--index", "8m",
            // Log pages: Garnet's defaults (16 MB main-log pages, 32 MB append-only-file pages,
            // 128 MB of them) are for large values; allocating and zeroing them was a quarter
            // of a second of every start and 230 MB of pinned memory. A loggbok entry is a few
            // KB, and a procedure call's log entry holds its arguments, so 1 MB main-log pages
            // and 4 MB append-only-file pages (Garnet wants at least twice the page below) are
            // ample.
            "--page", "1m",
            "--aof-page-size", "4m",
            "--aof-memory", "16m",
        ];
        // The reply to a write waits until its append-only-file commit has been written.
        if (options.DurableAcknowledgement)
            args.Add("--aof-commit-wait");
        // A Garnet session waiting for its commit blocks a thread-pool thread, and the commit
        // completes on other pool threads. With the pool's minimum (one per core) that starved
        // the pool until it added a thread, about 0.7 s, on the first write of every start.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), completionPorts);
        var server = new GarnetServer(args.ToArray());
        // Registered before Start, so replaying the append-only file can run it again.
        server.Register.NewTransactionProc(GarnetAppendProcedure.Name, () => new GarnetAppendProcedure(),
            new Garnet.server.RespCommandsInfo { Name = GarnetAppendProcedure.Name, Arity = GarnetAppendProcedure.Arity });
        server.Start();
        return new EmbeddedStore(server, port, password);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _server.Dispose();
}
