using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Lagesbild.Bench.Measure;
using Lagesbild.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lagesbild.Bench;

/// <summary>
/// Issue 18's speed: from the change that triggers an alert (a sector reported down) to the alert
/// in the duty officer's live view, while the run's load goes on. The TiB (demo user "per", on
/// duty by the roster this sets) has a live connection of her own in this process, as the duty
/// view's page has; the sectors go down and back in turn, every <see cref="Every"/>, each down
/// raising an alert (rule SectorDown) and each back clearing it.
/// </summary>
public sealed class AlertLatency : IAsyncDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromMilliseconds(500);
    private static readonly string[] Sectors = ["energiforsorjning", "elektroniska-kommunikationer", "livsmedel-dricksvatten", "transporter"];

    private readonly HubConnection _tib;
    private readonly HttpClient _central;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<DateTimeOffset>> _waiting = new();
    private readonly LatencyHistogram _fromSent = new();
    private readonly LatencyHistogram _fromAccepted = new();
    private int _missed;

    private AlertLatency(HubConnection tib, HttpClient central)
    {
        _tib = tib;
        _central = central;
    }

    /// <summary>Puts the TiB on duty and connects her live view.</summary>
    public static async Task<AlertLatency> StartAsync(ServerNodes servers)
    {
        var central = servers.CreateClients()[0];
        var now = DateTimeOffset.UtcNow;
        var roster = JsonSerializer.Serialize(new { shifts = new[] { new { person = "Per Lind", from = now.AddHours(-1), to = now.AddHours(12), phone = "070-123 45 67" } } });
        using (var planned = await central.SendJsonAsync("PUT", "api/pictures/live/duty-rosters/tib", roster))
        {
            if (!planned.IsSuccessStatusCode)
                throw new InvalidOperationException($"The TiB's roster was refused: {(int)planned.StatusCode} {await planned.Content.ReadAsStringAsync()}");
        }
        var token = servers.TokenOf("per");
        var tib = new HubConnectionBuilder()
            .WithUrl(new Uri(servers.Addresses[0], "hubs/picture"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var latency = new AlertLatency(tib, central);
        tib.On<JsonElement>("delta", latency.Delta);
        await tib.StartAsync();
        await tib.InvokeAsync<JsonElement>("Join", "live", null, null);
        return latency;
    }

    /// <summary>Sectors down and back in turn until <paramref name="stop"/>; then the figures.</summary>
    public async Task<AlertLatencyResult> RunAsync(CancellationToken stop)
    {
        var triggers = 0;
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var sector = Sectors[i / 2 % Sectors.Length];
            var down = i % 2 == 0;
            var due = Task.Delay(Every, CancellationToken.None);
            var sent = Stopwatch.GetTimestamp();
            var body = JsonSerializer.Serialize(new { status = down ? "Down" : "Normal", affectedDistricts = down ? new[] { "farsta" } : [] });
            using var answer = await _central.SendJsonAsync("PUT", $"api/pictures/live/sectors/{sector}/status", body);
            var accepted = Stopwatch.GetTimestamp();
            if (down && answer.IsSuccessStatusCode)
            {
                triggers++;
                var seq = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("seq").GetInt64();
                var arrived = _waiting.GetOrAdd(seq, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
                // The alert must reach the TiB before the sector comes back, or it never alerted.
                var at = await Task.WhenAny(arrived.Task, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None)) == arrived.Task ? (long?)arrived.Task.Result.UtcTicks : null;
                if (at is null)
                    Interlocked.Increment(ref _missed);
                else
                {
                    var sentAt = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(sent);
                    var acceptedAt = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(accepted);
                    _fromSent.Record(new DateTimeOffset(at.Value, TimeSpan.Zero) - sentAt);
                    _fromAccepted.Record(new DateTimeOffset(at.Value, TimeSpan.Zero) - acceptedAt);
                }
            }
            await due;
        }
        return new AlertLatencyResult(triggers, _missed, _fromSent.Summary(), _fromAccepted.Summary());
    }

    private void Delta(JsonElement entry)
    {
        var received = DateTimeOffset.UtcNow;
        if (entry.GetProperty("type").GetString() != "AlertRaised")
            return;
        var cause = entry.GetProperty("change").GetProperty("cause").GetProperty("seq").GetInt64();
        _waiting.GetOrAdd(cause, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(received);
    }

    public async ValueTask DisposeAsync()
    {
        await _tib.DisposeAsync();
        _central.Dispose();
    }
}

/// <summary>Sectors reported down, alerts that never reached the TiB within 10 s, and the times from the report sent (and accepted) to the alert in her live view.</summary>
public sealed record AlertLatencyResult(int Triggers, int Missed, LatencySummary FromSent, LatencySummary FromAccepted);
