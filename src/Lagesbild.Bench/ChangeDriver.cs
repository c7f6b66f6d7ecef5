using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>
/// Drives changes through the HTTP API on a steady schedule: change i is due at i/R seconds
/// and is sent when due, whether or not earlier ones have been answered (an open loop, so a
/// slow server is not offered less load), at most <see cref="MaxInFlight"/> at a time. With
/// <c>sequential</c> each change waits for the answer to the one before (the one-client case), or, with
/// several <c>writers</c>, each writer's change for the answer to that writer's last one.
/// Every change is a resources report with a new amount of water, which the rules always
/// accept, spread over the demo trygghetspunkter and, with two nodes, over both nodes.
/// Given <c>receivers</c> (signed in as a district's operator), every change is instead a step of an
/// uppdrag between levels, in turn: central gives Farsta an uppdrag, and Farsta acknowledges it,
/// starts it and reports it done; this needs <c>sequential</c>, as each step follows the one before.
/// </summary>
public sealed class ChangeDriver(IReadOnlyList<HttpClient> nodes, IReadOnlyList<HttpClient>? receivers = null)
{
    /// <summary>The district the uppdrag go to: the receivers must be signed in as one of its operators.</summary>
    public const string ReceiverDistrict = "farsta";

    private static readonly string[] TaskSteps = ["send", "acknowledge", "start", "complete"];
    // Uppdrag ids are never reused: a driver runs more than once against one server (warm-up, then the run).
    private readonly string _tasks = $"bench-{Guid.NewGuid():N}"[..14];

    public const int MaxInFlight = 256;

    /// <summary>The demo picture's trygghetspunkter, by id.</summary>
    public static readonly Lazy<string[]> DemoPoints = new(() =>
    {
        using var file = File.OpenRead(Path.Combine(RepoPaths.Root, "maps", "demo", "safety-points.json"));
        using var document = JsonDocument.Parse(file);
        return [.. document.RootElement.GetProperty("safetyPoints").EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];
    });

    private readonly LatencyHistogram _roundTrips = new();
    private readonly object _gate = new();
    private int _accepted;
    private int _refused;
    private long _firstSeq = long.MaxValue;
    private long _lastSeq;
    private string? _firstRefusal;
    private readonly Dictionary<string, int> _refusedBy = [];

    /// <summary>Refusals by HTTP status (or, with no answer, by what went wrong): which kind of refusal, not only how many.</summary>
    public IReadOnlyDictionary<string, int> RefusedBy
    {
        get { lock (_gate) return new Dictionary<string, int>(_refusedBy); }
    }

    public async Task<DriveResult> RunAsync(double rate, int count, bool sequential, CancellationToken cancellationToken, int writers = 1)
    {
        if (receivers is not null && (!sequential || writers != 1))
            throw new ArgumentException("The steps of an uppdrag follow each other: they are driven one at a time.");
        var points = DemoPoints.Value;
        using var inFlight = new SemaphoreSlim(sequential ? writers : MaxInFlight);
        var sending = new List<Task>(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due, cancellationToken);
            await inFlight.WaitAsync(cancellationToken);
            var change = i;
            sending.Add(Task.Run(async () =>
            {
                try
                {
                    if (receivers is null)
                        await SendAsync(nodes[change % nodes.Count], points[change % points.Length], 1000 + change, cancellationToken);
                    else
                        await StepAsync(change, cancellationToken);
                }
                finally
                {
                    inFlight.Release();
                }
            }, cancellationToken));
        }
        await Task.WhenAll(sending);
        lock (_gate)
            return new DriveResult(_accepted, _refused, _firstRefusal, _accepted == 0 ? 0 : _firstSeq, _lastSeq, clock.Elapsed.TotalSeconds, _roundTrips.Summary());
    }

    private Task SendAsync(HttpClient node, string point, int litres, CancellationToken cancellationToken)
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $$"""{"backupPower":{"available":true,"fuelHours":12},"waterLitres":{{litres}},"staff":4,"frgVolunteers":2,"radios":1}""");
        return SendAsync(node, HttpMethod.Put, $"api/pictures/live/safety-points/{point}/resources", body, cancellationToken);
    }

    /// <summary>Change <paramref name="change"/> as a step of uppdrag number change / 4, each step by whoever may take it.</summary>
    private Task StepAsync(int change, CancellationToken cancellationToken)
    {
        var task = $"{_tasks}-{change / TaskSteps.Length}";
        var step = TaskSteps[change % TaskSteps.Length];
        if (step == "send")
        {
            var due = DateTimeOffset.UtcNow.AddHours(3).ToString("O", CultureInfo.InvariantCulture);
            var body = $$"""{"id":"{{task}}","title":"Kontrollera era trygghetspunkter","to":{"kind":"District","id":"{{ReceiverDistrict}}"},"due":"{{due}}"}""";
            return SendAsync(nodes[change % nodes.Count], HttpMethod.Post, "api/pictures/live/assignments", body, cancellationToken);
        }
        return SendAsync(receivers![change % receivers.Count], HttpMethod.Post, $"api/pictures/live/assignments/{task}/{step}", "{}", cancellationToken);
    }

    private async Task SendAsync(HttpClient node, HttpMethod method, string path, string body, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(method, path)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            using var response = await node.SendAsync(request, cancellationToken);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            _roundTrips.Record(Stopwatch.GetElapsedTime(sent));
            if (!response.IsSuccessStatusCode)
            {
                Refused(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), $"{(int)response.StatusCode} {Encoding.UTF8.GetString(answer)}");
                return;
            }
            using var document = JsonDocument.Parse(answer);
            var seq = document.RootElement.GetProperty("seq").GetInt64();
            lock (_gate)
            {
                _accepted++;
                _firstSeq = Math.Min(_firstSeq, seq);
                _lastSeq = Math.Max(_lastSeq, seq);
            }
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            Refused(error.GetType().Name, error.Message);
        }
    }

    private void Refused(string kind, string why)
    {
        lock (_gate)
        {
            _refused++;
            _refusedBy[kind] = _refusedBy.GetValueOrDefault(kind) + 1;
            _firstRefusal ??= why;
        }
    }
}

/// <summary>What the driver did: changes accepted (and their sequence numbers), refused, and how long the HTTP calls took.</summary>
public sealed record DriveResult(int Accepted, int Refused, string? FirstRefusal, long FirstSeq, long LastSeq, double Seconds, LatencySummary HttpRoundTrip)
{
    public double AchievedRate => Accepted / Math.Max(0.001, Seconds);
}
