using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Lagesbild.Bench.Clients;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>What the alerts scenario measured, from the triggering change (a sector reported Down) to the TiB.</summary>
/// <param name="HubMs">To the AlertRaised delta on the TiB's own hub connection.</param>
/// <param name="SmtpMs">To the mail's arrival at the loopback SMTP server (through the outbox).</param>
public sealed record AlertsResult(int Maps, double Rate, int Alerts, int Lost, int Duplicated, Stats HubMs, double HubP99Ms, Stats SmtpMs, double SmtpP99Ms, int Refused);

/// <summary>
/// Issue 18's speed target: from the triggering change to the alert in the duty view and at the SMTP server, p99 under
/// load. A server with the sector rule and the e-mail channel on (to a loopback SMTP server in this process), the TiB
/// (demo user per, "Per Lind" in the beredskapsschema) connected to the live picture, <c>--clients</c> maps (1,000) and
/// <c>--rate</c> changes per second (10) to their points; meanwhile a sector goes Down, its alert is awaited on the
/// TiB's connection and at the mail server, the sector comes back, and again.
/// </summary>
public static class AlertsRun
{
    private const int Alerts = 40;
    private const string Sector = "energiforsorjning";

    public static async Task<AlertsResult> RunAsync(BenchOptions options)
    {
        var maps = options.Clients ?? 1000;
        var rate = options.Rate ?? 10;
        await using var smtp = await LoopbackSmtp.StartAsync();
        await using var servers = await ServerNodes.StartAsync(options.Nodes, options.Redis, options.ServerAssembly, smtp.AlertSettings());
        var http = servers.CreateClients();
        using var anna = servers.Nodes[0].CreateClient("anna");
        await AlertApi.PlanAsync(anna, "tib", "Per Lind");
        await using var tib = new LiveClient(servers.Addresses[0], user: "per", reconnect: false);
        await tib.ConnectAsync();

        await using var fleet = FleetProcess.Start(servers.Addresses, servers.Token, maps, 0, options);
        var ready = await fleet.ReadyAsync(TimeSpan.FromSeconds(90 + maps / 20.0));
        Log($"{ready.Connected} maps joined in {ready.ConnectSeconds:0.0} s");
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            try
            {
                return await new ChangeDriver(http).RunAsync(rate, int.MaxValue / 2, sequential: false, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        });

        var hub = new List<double>();
        var mail = new List<double>();
        var lost = 0;
        for (var i = 0; i < Alerts; i++)
        {
            var mailsBefore = smtp.Received.Count;
            var started = DateTimeOffset.UtcNow;
            var down = await SectorAsync(anna, "Down");
            var raised = await WaitAsync(() => tib.Deltas.FirstOrDefault(d => d.Seq > down && d.Type == "AlertRaised"));
            var received = await WaitAsync(() => smtp.Received.Count > mailsBefore ? smtp.Received[mailsBefore] : default((DateTimeOffset, MimeKit.MimeMessage)?));
            if (raised is null || received is null)
                lost++;
            else
            {
                hub.Add((raised.ReceivedAt - started).TotalMilliseconds);
                mail.Add((received.Value.Item1 - started).TotalMilliseconds);
            }
            var normal = await SectorAsync(anna, "Normal");
            await WaitAsync(() => tib.Deltas.FirstOrDefault(d => d.Seq > normal && d.Type == "AlertCleared"));
        }
        stop.Cancel();
        await load;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var duplicated = smtp.Received.Count - smtp.Received.Select(m => m.Message.MessageId).Distinct().Count();
        foreach (var client in http)
            client.Dispose();
        return new AlertsResult(ready.Connected, rate, Alerts, lost, duplicated, Stats.Of([.. hub]), P99(hub), Stats.Of([.. mail]), P99(mail), 0);
    }

    private static async Task<long> SectorAsync(HttpClient anna, string status)
    {
        var body = JsonSerializer.Serialize(new { status, affectedDistricts = status == "Normal" ? Array.Empty<string>() : ["farsta"] });
        using var answer = await anna.SendJsonAsync("PUT", $"api/pictures/live/sectors/{Sector}/status", body);
        var text = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode)
            throw new InvalidOperationException($"sector {status}: {(int)answer.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("seq").GetInt64();
    }

    private static async Task<T?> WaitAsync<T>(Func<T?> found)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (found() is { } value)
                return value;
            await Task.Delay(2);
        }
        return default;
    }

    private static double P99(List<double> values)
    {
        if (values.Count == 0)
            return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)];
    }

    private static void Log(string line) => Console.Error.WriteLine($"[alerts] {line}");

    public static void AppendTable(StringBuilder text, AlertsResult r)
    {
        text.AppendLine();
        text.AppendLine("| alerts: sector Down → TiB | median | p99 | max | note |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        text.AppendLine($"| to the AlertRaised delta on the TiB's hub connection | {r.HubMs.Median:0} ms | {r.HubP99Ms:0} ms | {r.HubMs.Max:0} ms | {r.HubMs.Count} alerts under {r.Maps:N0} maps at {r.Rate}/s |");
        text.AppendLine($"| to the mail at the loopback SMTP server | {r.SmtpMs.Median:0} ms | {r.SmtpP99Ms:0} ms | {r.SmtpMs.Max:0} ms | {r.Lost} lost, {r.Duplicated} duplicated |");
    }
}
