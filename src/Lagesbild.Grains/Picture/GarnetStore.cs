using System.Reflection;
using Garnet;
using Garnet.server;
using Microsoft.Extensions.Logging;
using Tsavorite.core;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// The embedded Garnet as Lagesbild runs it: its arguments and the loggbok's append procedure,
/// written once for the server's embedded store and the grain tests.
/// </summary>
public static class GarnetStore
{
    /// <param name="password">Clients must authenticate with it: loopback is open to every process on the host.</param>
    /// <param name="durableAcknowledgement">A write is answered only once its append-only-file commit is on disk.</param>
    public static string[] Arguments(string directory, int port, string password, bool durableAcknowledgement)
    {
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
        if (durableAcknowledgement)
            args.Add("--aof-commit-wait");
        return [.. args];
    }

    /// <summary>A Garnet with the append procedure registered (before it starts, so replaying the append-only file can run it again).</summary>
    public static GarnetServer Create(string[] arguments)
    {
        var options = ParseArguments(arguments);
        // The append-only file writes on the committing thread (see SyncAppendDevice); every
        // other file keeps the device the arguments name.
        options.DeviceFactoryCreator = new SyncAppendDeviceFactoryCreator(new LocalStorageNamedDeviceFactoryCreator(
            deviceType: options.DeviceType,
            numCompletionThreads: options.DeviceCompletionThreads,
            throttleLimit: options.DeviceThrottleLimit > 0 ? options.DeviceThrottleLimit : null));
        var server = new GarnetServer(options, GarnetLogging.Value);
        server.Register.NewTransactionProc(GarnetAppendProcedure.Name, () => new GarnetAppendProcedure(),
            new Garnet.server.RespCommandsInfo { Name = GarnetAppendProcedure.Name, Arity = GarnetAppendProcedure.Arity });
        return server;
    }

    /// <summary>Garnet's options as its own command line makes them (its defaults file under our arguments).</summary>
    /// <remarks>
    /// Only the constructor that takes options lets us name a device; the parser that turns
    /// arguments into options is internal to Garnet, hence the reflection. Garnet's version is
    /// pinned (Directory.Packages.props), and a parser that moved fails every store's start, so
    /// every test that starts one catches it.
    /// </remarks>
    private static GarnetServerOptions ParseArguments(string[] arguments)
    {
        var manager = typeof(GarnetServer).Assembly.GetType("Garnet.ServerSettingsManager", throwOnError: true)!;
        var parse = manager.GetMethod("TryParseCommandLineArguments", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!;
        object?[] call = [arguments, null, null, null, null, true, null];
        if (!(bool)parse.Invoke(null, call)!)
            throw new ArgumentException($"Garnet refused its arguments: {string.Join(", ", (IEnumerable<string>?)call[2] ?? [])}", nameof(arguments));
        var settings = call[1]!;
        var toOptions = settings.GetType().GetMethod("GetServerOptions", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
        return (GarnetServerOptions)toOptions.Invoke(settings, [null])!;
    }

    /// <summary>Garnet's warnings and errors on the console, as Garnet prints them when it makes its own logger; one for every store in the process.</summary>
    private static readonly Lazy<ILoggerFactory> GarnetLogging = new(() => LoggerFactory.Create(builder => builder
        .AddSimpleConsole(console => console.SingleLine = true)
        .SetMinimumLevel(LogLevel.Warning)));
}
