using System.Globalization;
using System.Security.Cryptography;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>
/// Lagesbild started as an operator starts it, each node a real process with its own ports
/// and an empty data folder: one node with the embedded store (the default), one node on an
/// external Redis, or two nodes, the second using the first one's embedded store (or the Redis).
/// </summary>
public sealed class ServerNodes : IAsyncDisposable
{
    private readonly List<ServerProcess> _nodes = [];

    private ServerNodes()
    {
    }

    public IReadOnlyList<ServerProcess> Nodes => _nodes;
    public Uri[] Addresses => [.. _nodes.Select(n => n.BaseAddress)];
    public int[] Pids => [.. _nodes.Select(n => n.ProcessId ?? 0)];
    public long Rss => Pids.Sum(ProcessMeter.Rss);
    public string Store { get; private set; } = "embedded";

    /// <summary>
    /// Who the maps and the driver are: central krisledning (demo user "anna" of the
    /// development sign-in), who sees the whole picture and may report for any point.
    /// </summary>
    public const string User = "anna";

    public string Token => _nodes[0].SignIn(User);

    public string TokenOf(string user) => _nodes[0].SignIn(user);

    /// <summary>Farsta's operator (demo user "sara"), who receives and moves forward the uppdrag central gives Farsta.</summary>
    public const string Receiver = "sara";

    /// <summary>One signed-in HTTP client per node.</summary>
    public List<HttpClient> CreateClients(string user = User) => [.. _nodes.Select(n => n.CreateClient(user))];

    /// <param name="extra">Settings of the scenario's own, on every node.</param>
    public static async Task<ServerNodes> StartAsync(int count, string? redis, string serverAssembly, IReadOnlyDictionary<string, string>? extra = null)
    {
        var nodes = new ServerNodes { Store = redis is null ? "embedded" : "redis" };
        try
        {
            var storePort = Ports.Free();
            // The second node shares the first one's store and accepts its tokens, so it is told
            // the store's password and the development signing key.
            var storePassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
            var signingKey = DevTokens.NewSigningKey();
            for (var i = 0; i < count; i++)
            {
                // Every simulated map is the same person from the same address: far past the
                // caps a real deployment keeps, which the benchmark must not measure.
                var settings = new Dictionary<string, string>
                {
                    ["Lagesbild:Auth:DevelopmentSigningKey"] = signingKey,
                    ["Lagesbild:Live:MaxConnectionsPerPerson"] = "1000000",
                    ["Lagesbild:Live:MaxConnectionsPerAddress"] = "1000000",
                    // The tests' servers keep the alert rules off (they would write behind the tests' backs); an operator's has them on.
                    ["Lagesbild:Alerts:Enabled"] = "true",
                };
                foreach (var (name, value) in extra ?? new Dictionary<string, string>())
                    settings[name] = value;
                if (redis is not null)
                    settings["Lagesbild:Storage:Redis"] = redis;
                else if (i == 0)
                {
                    settings["Lagesbild:Storage:EmbeddedPort"] = storePort.ToString(CultureInfo.InvariantCulture);
                    settings["Lagesbild:Storage:EmbeddedPassword"] = storePassword;
                }
                else
                    settings["Lagesbild:Storage:Redis"] = $"127.0.0.1:{storePort},password={storePassword},abortConnect=false";
                var node = new ServerProcess(settings: settings, serverAssembly: serverAssembly);
                nodes._nodes.Add(node);
                await node.StartAsync(TimeSpan.FromSeconds(120));
            }
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>The floor: one process of src/Lagesbild.Bench.Floor, started as the server is (a plain build, not published).</summary>
    public static async Task<ServerNodes> StartFloorAsync()
    {
        var nodes = new ServerNodes { Store = "none (floor)" };
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var assembly = Path.Combine(RepoPaths.Root, "src", "Lagesbild.Bench.Floor", "bin", configuration, "net10.0", "Lagesbild.Bench.Floor.dll");
        if (!File.Exists(assembly))
            throw new FileNotFoundException($"The floor server is not built: {assembly}. Build the solution (-c {configuration}) first.");
        var node = new ServerProcess(serverAssembly: assembly);
        nodes._nodes.Add(node);
        try
        {
            await node.StartAsync(TimeSpan.FromSeconds(60));
            return nodes;
        }
        catch
        {
            await nodes.DisposeAsync();
            throw;
        }
    }

    /// <summary>Median of a few readings of the nodes' resident memory, half a second apart.</summary>
    public async Task<long> SettledRssAsync(int readings = 5, int overMilliseconds = 500)
    {
        var values = new List<long>();
        for (var i = 0; i < readings; i++)
        {
            if (i > 0)
                await Task.Delay(overMilliseconds);
            values.Add(Rss);
        }
        values.Sort();
        return values[values.Count / 2];
    }

    public async ValueTask DisposeAsync()
    {
        // The second node first: it depends on the first one's store.
        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            await _nodes[i].DisposeAsync();
            try
            {
                Directory.Delete(_nodes[i].DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
        _nodes.Clear();
    }
}
