using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Lagesbild.Bench.Measure;

namespace Lagesbild.Bench.Clients;

/// <summary>
/// The clients' process (<c>--role clients</c>): opens N connections, joins the live picture,
/// and measures every delivery. It runs apart from the driver and the server so its CPU is
/// seen on its own. It talks to the driver over stdin/stdout, one line per step:
/// it says <c>@ready {json}</c>; the driver says <c>start &lt;seq&gt;</c>, then <c>finish &lt;seq&gt; &lt;drain s&gt;</c>
/// (answered with <c>@result {json}</c>), then <c>exit</c>.
/// </summary>
public static class Fleet
{
    public const int ConnectParallelism = 64;
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var servers = options.ServerUrls.Select(u => new Uri(u)).ToArray();
        var limit = ProcessMeter.FileDescriptorLimit(Environment.ProcessId);
        if (limit >= 0 && (options.Clients ?? 1) + 256 > limit)
        {
            Console.Error.WriteLine($"{options.Clients} connections need more open files than this process may have ({limit}); raise it with `ulimit -n`.");
            return 2;
        }

        var normal = new ClientGroup("normal");
        var stalled = new ClientGroup("stalled");
        var clients = options.Clients ?? 1;
        var stalledCount = options.Stalled ?? 0;
        var stride = stalledCount > 0 ? Math.Max(1, clients / stalledCount) : 0;
        var sources = SourceAddresses(clients);
        var all = new List<PictureClient>();
        for (var i = 0; i < clients; i++)
        {
            var group = stride > 0 && i % stride == 0 && stalled.Clients.Count < stalledCount ? stalled : normal;
            var client = Create(options.ClientKind, servers[i % servers.Length], options.Token!, sources[i % sources.Length], group.Latencies);
            group.Clients.Add(client);
            all.Add(client);
        }

        var connecting = Stopwatch.StartNew();
        var failed = new ConcurrentBag<PictureClient>();
        string? firstError = null;
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism }, async (client, _) =>
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await client.ConnectAsync(timeout.Token);
            }
            catch (Exception error)
            {
                failed.Add(client);
                Interlocked.CompareExchange(ref firstError, $"{error.GetType().Name}: {error.Message}", null);
            }
        });
        // A client that never got in is reported as a failed connection, not as lost deliveries.
        foreach (var client in failed)
        {
            normal.Clients.Remove(client);
            stalled.Clients.Remove(client);
            await client.DisposeAsync();
        }
        all.RemoveAll(failed.Contains);
        Say("ready", new FleetReady(clients - failed.Count, failed.Count, connecting.Elapsed.TotalSeconds, firstError));

        using var stop = new CancellationTokenSource();
        var pinging = PingAsync(all, stop.Token);
        while (Console.ReadLine() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words.FirstOrDefault())
            {
                case "start":
                    var afterSeq = long.Parse(words[1], CultureInfo.InvariantCulture);
                    normal.StartWindow(afterSeq);
                    stalled.StartWindow(afterSeq);
                    foreach (var client in stalled.Clients)
                        client.Stall();
                    Say("started", afterSeq);
                    break;
                case "finish":
                    var finalSeq = long.Parse(words[1], CultureInfo.InvariantCulture);
                    var drain = TimeSpan.FromSeconds(double.Parse(words[2], CultureInfo.InvariantCulture));
                    var normalDrain = await normal.DrainAsync(finalSeq, drain);
                    var normalResult = normal.Result(finalSeq, normalDrain);
                    // Stalled clients start reading again: do they catch up, get a snapshot, or were they cut off?
                    foreach (var client in stalled.Clients)
                        client.Resume();
                    var stalledDrain = await stalled.DrainAsync(finalSeq, drain);
                    Say("result", new FleetResult(normalResult, stalled.Clients.Count > 0 ? stalled.Result(finalSeq, stalledDrain) : null));
                    break;
                case "exit":
                    await stop.CancelAsync();
                    await pinging;
                    foreach (var client in all)
                        await client.DisposeAsync();
                    return 0;
            }
        }
        return 0;
    }

    public static PictureClient Create(ClientKind kind, Uri server, string token, SourceAddress source, LatencyHistogram latencies) => kind switch
    {
        ClientKind.Hub => new HubConnectionClient(server, token, latencies),
        ClientKind.Socket => new HubSocketClient(server, token, new ClientWebSocketTransport(source.Invoker), latencies),
        _ => new HubSocketClient(server, token, new RawWebSocketTransport(source.Address), latencies),
    };

    /// <summary>
    /// Loopback source addresses, a few thousand connections each, so ten thousand
    /// connections never run out of ephemeral ports on one address.
    /// </summary>
    public static SourceAddress[] SourceAddresses(int clients) =>
        [.. Enumerable.Range(0, Math.Max(1, (clients + 2999) / 3000)).Select(i => new SourceAddress(IPAddress.Parse($"127.0.0.{11 + i}")))];

    /// <summary>SignalR's keep-alive: the server drops a client it has not heard from in 30 s.</summary>
    private static async Task PingAsync(List<PictureClient> clients, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                foreach (var client in clients)
                    _ = client.PingAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void Say<T>(string what, T value)
    {
        Console.Out.WriteLine($"@{what} {JsonSerializer.Serialize(value, Json)}");
        Console.Out.Flush();
    }
}

/// <summary>Where connections come from; ClientWebSocket transports share one invoker per address.</summary>
public sealed class SourceAddress(IPAddress address)
{
    private readonly Lazy<HttpMessageInvoker> _invoker = new(() => ClientWebSocketTransport.InvokerFrom(address));

    public IPAddress Address => address;
    public HttpMessageInvoker Invoker => _invoker.Value;
}

public sealed record FleetReady(int Connected, int Failed, double ConnectSeconds, string? FirstError);

public sealed record FleetResult(GroupResult Normal, GroupResult? Stalled);
