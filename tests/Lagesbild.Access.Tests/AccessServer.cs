using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lagesbild.Access.Tests;

/// <summary>
/// One real server for the access tests, with its embedded store on a port the tests know (to
/// knock on it), and the development signing key read from its owner-only file, as the
/// same user may, so that tests can sign tokens of their own.
/// </summary>
public class AccessServer : IAsyncLifetime
{
    public AccessServer() : this(new Dictionary<string, string>())
    {
    }

    private protected AccessServer(Dictionary<string, string> settings)
    {
        StorePort = Ports.Free();
        settings["Lagesbild:Storage:EmbeddedPort"] = StorePort.ToString();
        // Access is what is tested here, not durability; fsync per change only costs time.
        settings["Lagesbild:Storage:DurableAcknowledgement"] = "false";
        // One alert rule, whose cause only the alert tests bring about (a sector down), and no second wave during a run.
        settings["Lagesbild:Alerts:Enabled"] = "true";
        settings["Lagesbild:Alerts:Rules:0"] = "SectorDown";
        settings["Lagesbild:Alerts:EscalateAfterSeconds"] = "86400";
        // Alerts from outside, which the TiB triages (the intake is off unless configured).
        CapSenders.AddIntake(settings);
        Server = new ServerProcess(settings: settings);
    }

    public ServerProcess Server { get; }
    public int StorePort { get; }
    public string KeyFile => Path.Combine(Server.DataDirectory, "data", "dev-signing-key");
    public byte[] SigningKey => Convert.FromBase64String(File.ReadAllText(KeyFile).Trim());

    /// <summary>Central krisledning, who may read everything: the tests' eyes on the picture.</summary>
    public HttpClient Central { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        Central = Server.CreateClient("anna");
    }

    public async Task DisposeAsync()
    {
        Central.Dispose();
        await Server.DisposeAsync();
    }

    public Task<(long Seq, string Digest)> DigestAsync() => Central.DigestAsync();

    /// <summary>Waits until this node's picture (which the snapshot and the permissions are read from) has reached the sequence number.</summary>
    public async Task WaitForSeqAsync(long seq)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if ((await Central.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot")).GetProperty("seq").GetInt64() >= seq)
                return;
            await Task.Delay(25);
        }
        throw new TimeoutException($"The picture never reached seq {seq}.");
    }

    /// <summary>
    /// Waits until the rules have raised an alert for the cause's thing that is open (or, with <paramref name="open"/> false,
    /// until none is open), and answers the open one's id and state.
    /// </summary>
    public async Task<(string? Id, JsonElement State)> OpenAlertAsync(string causeEntity, bool open)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var snapshot = await Central.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
            var alert = snapshot.GetProperty("entities").EnumerateArray().FirstOrDefault(r =>
                r.GetProperty("kind").GetString() == "Alert" &&
                r.GetProperty("state").GetProperty("cause").GetProperty("entity").GetString() == causeEntity &&
                r.GetProperty("state").GetProperty("clearedAt").ValueKind == JsonValueKind.Null);
            if (open && alert.ValueKind != JsonValueKind.Undefined)
                return (alert.GetProperty("id").GetString(), alert.GetProperty("state").Clone());
            if (!open && alert.ValueKind == JsonValueKind.Undefined)
                return (null, default);
            await Task.Delay(25);
        }
        throw new TimeoutException($"No alert for {causeEntity} became {(open ? "open" : "cleared")}.");
    }

    /// <summary>The state of one entity as the live snapshot has it.</summary>
    public async Task<JsonElement> StateAsync(string kind, string id)
    {
        var snapshot = await Central.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
        foreach (var record in snapshot.GetProperty("entities").EnumerateArray())
        {
            if (record.GetProperty("kind").GetString() == kind && record.GetProperty("id").GetString() == id)
                return record.GetProperty("state").Clone();
        }
        throw new InvalidOperationException($"{kind}/{id} is not in the live picture.");
    }
}

/// <summary>A server of its own, for tests that sign people out or revoke them.</summary>
public sealed class RevocationServer() : AccessServer(new Dictionary<string, string>());

/// <summary>A server with a low per-address limit (5 a second, bursts of 50) and no trusted proxy.</summary>
public sealed class AddressLimitedServer() : AccessServer(new Dictionary<string, string>
{
    ["Lagesbild:Hardening:RequestsPerSecondPerAddress"] = "5",
});

/// <summary>The same server with the real per-person rate limit (20 a second, bursts of 200).</summary>
public sealed class RateLimitedServer() : AccessServer(new Dictionary<string, string>
{
    ["Lagesbild:Hardening:RequestsPerSecondPerUser"] = "20",
});

[CollectionDefinition(Name)]
public sealed class AccessServerCollection : ICollectionFixture<AccessServer>
{
    public const string Name = "access server";
}
