using System.Globalization;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;
using static Lagesbild.Testing.AlertApi;

namespace Lagesbild.Cluster.Tests;

/// <summary>
/// The alert outbox across two nodes: the node sending the alerts' mail is killed (kill -9) while its deliveries are
/// under way at the mail server; the other node takes the outbox over and every alert's mail arrives exactly once.
/// </summary>
public sealed class AlertDeliveryKillTests(ITestOutputHelper output)
{
    private static readonly string[] Sectors = ["ekonomisk-sakerhet", "elektroniska-kommunikationer", "energiforsorjning", "finansiella-tjanster", "transporter"];

    [Fact]
    public async Task A_node_killed_in_the_middle_of_delivery_loses_no_alert_and_no_mail_arrives_twice()
    {
        await using var smtp = await LoopbackSmtp.StartAsync();
        // Each delivery waits at the mail server, not yet accepted, when the node dies.
        smtp.HoldRecipientsFor = TimeSpan.FromSeconds(4);
        await using var cluster = await Cluster.StartAsync(2, new Dictionary<string, string>(smtp.AlertSettings())
        {
            ["Lagesbild:Alerts:Channels:FirstRetrySeconds"] = "0.3",
            ["Lagesbild:Alerts:Channels:LongestRetrySeconds"] = "1",
            ["Lagesbild:Alerts:Channels:MaxAttempts"] = "50",
            ["Lagesbild:Alerts:Channels:SendTimeoutSeconds"] = "10",
            ["Lagesbild:Alerts:Channels:LeaseSeconds"] = "3",
        });
        using var first = cluster.Nodes[0].CreateClient("anna");
        await PlanAsync(first, "tib", "Per Lind");
        foreach (var sector in Sectors)
            await SectorAsync(first, sector, "Down");
        await UntilAsync(async () => (await AlertsAsync(first)).Length == Sectors.Length, "Not every sector raised its alert.");
        await UntilAsync(() => Task.FromResult(smtp.Held >= Sectors.Length), "The deliveries never reached the mail server.");

        var sender = cluster.Nodes.Single(n => n.Output.Contains("This node sends the alert outbox of live now", StringComparison.Ordinal));
        var survivor = cluster.Nodes.Single(n => n != sender);
        sender.Kill();
        var killed = DateTimeOffset.UtcNow;
        smtp.HoldRecipientsFor = TimeSpan.Zero;
        output.WriteLine($"killed the sending node {sender.BaseAddress} at {killed:HH:mm:ss.fff} with {smtp.Held} deliveries held at the mail server, none accepted ({smtp.Received.Count})");

        using var other = survivor.CreateClient("anna");
        var alerts = (await AlertsAsync(other)).Select(a => a.GetProperty("id").GetString()!).ToArray();
        await UntilAsync(async () =>
        {
            foreach (var id in alerts)
            {
                if (!(await EntriesAsync(other, id)).Any(e => e.GetProperty("type").GetString() == "AlertDeliveryRecorded"))
                    return false;
            }
            return true;
        }, "Not every alert's delivery was recorded after the kill.", TimeSpan.FromSeconds(90));
        await Task.Delay(TimeSpan.FromSeconds(3));

        var byAlert = smtp.Received.GroupBy(m => m.Message.Headers["X-Lagesbild-Alert"] ?? "").ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"after the kill: {smtp.Received.Count} mails for {alerts.Length} alerts, the last {(smtp.Received.Max(m => m.At) - killed).TotalSeconds:0.0} s after the kill");
        Assert.Equal(alerts.Order(), byAlert.Keys.Order());
        Assert.All(byAlert, pair => Assert.Equal(1, pair.Value));
        foreach (var id in alerts)
            Assert.Single(await EntriesAsync(other, id), e => e.GetProperty("type").GetString() == "AlertDeliveryRecorded");
    }
}
