using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>
/// Drives changes through the HTTP API on a steady schedule: change i is due at i/R seconds
/// and is sent when due (or at once, if the one before took longer). Every change is a
/// resources report with a new amount of water, which the rules always accept, spread over
/// the demo trygghetspunkter and, with two nodes, over both nodes.
/// </summary>
public sealed class ChangeDriver(IReadOnlyList<HttpClient> nodes)
{
    private static readonly Lazy<string[]> DemoPoints = new(() =>
    {
        using var file = File.OpenRead(Path.Combine(RepoPaths.Root, "maps", "demo", "safety-points.json"));
        using var document = JsonDocument.Parse(file);
        return [.. document.RootElement.GetProperty("safetyPoints").EnumerateArray().Select(p => p.GetProperty("id").GetString()!)];
    });

    public async Task<DriveResult> RunAsync(double rate, int count, CancellationToken cancellationToken)
    {
        var points = DemoPoints.Value;
        var roundTrips = new LatencyHistogram();
        var accepted = 0;
        var refused = 0;
        long firstSeq = long.MaxValue, lastSeq = 0;
        string? firstRefusal = null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due, cancellationToken);
            var body = string.Create(CultureInfo.InvariantCulture,
                $$"""{"backupPower":{"available":true,"fuelHours":12},"waterLitres":{{1000 + i}},"staff":4,"frgVolunteers":2,"radios":1}""");
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"api/pictures/live/safety-points/{points[i % points.Length]}/resources")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                using var response = await nodes[i % nodes.Count].SendAsync(request, cancellationToken);
                var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                roundTrips.Record(Stopwatch.GetElapsedTime(sent));
                if (!response.IsSuccessStatusCode)
                {
                    refused++;
                    firstRefusal ??= $"{(int)response.StatusCode} {Encoding.UTF8.GetString(answer)}";
                    continue;
                }
                using var document = JsonDocument.Parse(answer);
                var seq = document.RootElement.GetProperty("seq").GetInt64();
                accepted++;
                firstSeq = Math.Min(firstSeq, seq);
                lastSeq = Math.Max(lastSeq, seq);
            }
            catch (HttpRequestException error)
            {
                refused++;
                firstRefusal ??= error.Message;
            }
        }
        return new DriveResult(accepted, refused, firstRefusal, accepted == 0 ? 0 : firstSeq, lastSeq, clock.Elapsed.TotalSeconds, roundTrips.Summary());
    }
}

/// <summary>What the driver did: changes accepted (and their sequence numbers), refused, and how long the HTTP calls took.</summary>
public sealed record DriveResult(int Accepted, int Refused, string? FirstRefusal, long FirstSeq, long LastSeq, double Seconds, LatencySummary HttpRoundTrip)
{
    public double AchievedRate => Accepted / Math.Max(0.001, Seconds);
}
