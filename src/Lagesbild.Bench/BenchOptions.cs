using System.Globalization;

namespace Lagesbild.Bench;

/// <summary>Which SignalR client the clients' process uses.</summary>
public enum ClientKind
{
    /// <summary>The JSON hub protocol, reading only seq, id and at (<see cref="Clients.HubSocketClient"/>), over a WebSocket spoken on the TCP socket itself (<see cref="Clients.RawWebSocketTransport"/>).</summary>
    Raw,
    /// <summary>The same over .NET's ClientWebSocket (<see cref="Clients.ClientWebSocketTransport"/>).</summary>
    Socket,
    /// <summary>The full .NET HubConnection (<see cref="Clients.HubConnectionClient"/>).</summary>
    Hub,
}

/// <summary>The command line. Anything given overrides the chosen scenarios' own values.</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        dotnet run -c Release --project src/Lagesbild.Bench -- [options]
          --scenario NAME    all (default) | smoke | one | one-task | n100 | n1000 | n10000 | stalled |
                             idle-memory | startup | replay | overview | overview-page (Chromium) | exports | soak (1,000 clients, 10/s for an hour
                             unless --clients/--rate/--seconds say otherwise; not part of all) |
                             public (1,000 maps without, then with residents' load from wrk; not part of all) |
                             alerts (a sector down to the TiB's hub and the loopback SMTP server, under 1,000 maps at 10/s; not part of all) |
                             after-action (a STADSÖ-sized exercise filled over HTTP, stopped, its after-action report timed as JSON and PDF; not part of all) |
                             writers (one map, 1 then 8 writers each waiting for its answer: what group commit gains; not part of all) |
                             fsync (4 KB appends made durable one by one on the data folder's disk: O_SYNC, fdatasync, fsync; not part of all);
                             several may be given, comma-separated
          --entries N        replay: loggbok entries to fill the picture with (default 100,000); after-action: the exercise's (default 30,000)
          --clients N        connections (1 to 10,000), for every load scenario chosen
          --rate R           changes per second
          --seconds S        how long changes are driven
          --stalled N        how many of the clients stop reading their sockets
          --public-connections N  public: wrk's and h2load's open connections to the public list (default 64)
          --public-rate N    public: the constant rate of the third run (public-rate), requests/s (default 20,000)
          --json PATH        where to write the results as JSON (default: a file in the temp folder)
          --stage-times      one: also print where each change's time went, stage by stage on the server
                             (grain, store, feed, pipe) and to the client, and the collector's pauses
          --redis CONN       use an external Redis (StackExchange.Redis connection string) instead of the embedded store
          --nodes 1|2        one server, or a two-node cluster (clients and changes spread over both)
          --client raw|socket|hub  the lean hub client on its own WebSocket code (default), the same
                             on .NET's ClientWebSocket, or the full .NET HubConnection
          --server published|build  the server as ./run.sh and the container run it, published
                             ReadyToRun into artifacts/server (default; the benchmark publishes it
                             first), or the plain build in src/Lagesbild.Server/bin (smoke's default),
                             or a folder the server was published into before, run as it is (no
                             publish: e.g. artifacts/server again while iterating, or an older commit's)
          --server-env NAME=VALUE  an environment variable for the server process only (repeatable),
                             e.g. DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0, to measure a runtime setting
          --clients-env NAME=VALUE  the same for the clients' process (repeatable); it runs with
                             DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 unless told otherwise
        """;

    public List<string> Scenarios { get; } = [];
    public int? Clients { get; set; }
    public double? Rate { get; set; }
    public double? Seconds { get; set; }
    public int? Stalled { get; set; }
    public int PublicConnections { get; set; } = 64;
    public double PublicRate { get; set; } = 20_000;
    public long? Entries { get; set; }
    public string? JsonPath { get; set; }

    /// <summary>With <c>--stage-times</c>: where each entry's time went, server stage by stage (one load run, one client).</summary>
    public StageTimes? StageTimes { get; set; }
    public string? Redis { get; set; }
    public int Nodes { get; set; } = 1;
    public ClientKind ClientKind { get; set; } = ClientKind.Raw;
    public Dictionary<string, string> ServerEnvironment { get; } = [];
    /// <summary>
    /// The clients' process handles each socket's data on the thread that polled it, instead of
    /// handing every receive to the thread pool: ten thousand clients then cost the shared
    /// machine less, and leave more of it to the server being measured.
    /// </summary>
    public Dictionary<string, string> ClientsEnvironment { get; } = new() { ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1" };
    /// <summary>"published", "build" or a published server's folder; null picks published, or build for a smoke-only run.</summary>
    public string? Server { get; set; }
    /// <summary>The server assembly the run starts, once chosen.</summary>
    public string ServerAssembly { get; set; } = "";

    // Only for the clients' process.
    public string Role { get; set; } = "driver";
    public string[] ServerUrls { get; set; } = [];
    public string? Token { get; set; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--scenario":
                    options.Scenarios.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--clients":
                    options.Clients = int.Parse(Value(), CultureInfo.InvariantCulture);
                    if (options.Clients is < 1 or > 10_000)
                        throw new ArgumentException("--clients must be from 1 to 10,000.");
                    break;
                case "--rate":
                    options.Rate = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--seconds":
                    options.Seconds = double.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--stalled":
                    options.Stalled = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--public-connections":
                    options.PublicConnections = int.Parse(Value(), CultureInfo.InvariantCulture);
                    if (options.PublicConnections is < 1 or > 10_000)
                        throw new ArgumentException("--public-connections must be from 1 to 10,000.");
                    break;
                case "--public-rate":
                    options.PublicRate = double.Parse(Value(), CultureInfo.InvariantCulture);
                    if (options.PublicRate is < 1 or > 1_000_000)
                        throw new ArgumentException("--public-rate must be from 1 to 1,000,000 requests per second.");
                    break;
                case "--entries":
                    options.Entries = long.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--json":
                    options.JsonPath = Value();
                    break;
                case "--stage-times":
                    options.StageTimes = new StageTimes();
                    break;
                case "--redis":
                    options.Redis = Value();
                    break;
                case "--nodes":
                    options.Nodes = int.Parse(Value(), CultureInfo.InvariantCulture);
                    if (options.Nodes is < 1 or > 2)
                        throw new ArgumentException("--nodes must be 1 or 2.");
                    break;
                case "--client":
                    options.ClientKind = Enum.Parse<ClientKind>(Value(), ignoreCase: true);
                    break;
                case "--server-env" or "--clients-env":
                    var pair = Value().Split('=', 2);
                    if (pair.Length != 2 || pair[0].Length == 0)
                        throw new ArgumentException($"{name} takes NAME=VALUE.");
                    (name == "--server-env" ? options.ServerEnvironment : options.ClientsEnvironment)[pair[0]] = pair[1];
                    break;
                case "--server":
                    options.Server = Value();
                    if (options.Server is not ("published" or "build") && !File.Exists(Path.Combine(options.Server, "Lagesbild.Server.dll")))
                        throw new ArgumentException("--server must be published, build, or a folder with a published Lagesbild.Server.dll.");
                    break;
                case "--role":
                    options.Role = Value();
                    break;
                case "--token":
                    options.Token = Value();
                    break;
                case "--servers":
                    options.ServerUrls = Value().Split(',');
                    break;
                default:
                    throw new ArgumentException($"Unknown option {name}.");
            }
        }
        if (options.Scenarios.Count == 0)
            options.Scenarios.Add(options.Clients is null ? "all" : "custom");
        return options;
    }
}
