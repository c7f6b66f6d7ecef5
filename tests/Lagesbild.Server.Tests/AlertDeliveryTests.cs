using System.Globalization;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;
using static Lagesbild.Testing.AlertApi;

namespace Lagesbild.Server.Tests;

/// <summary>
/// Delivery of alerts through the outbox to real receivers on loopback: an SMTP server, a webhook receiver that checks
/// the signature, a push service that checks VAPID and decrypts the payload. Each delivery is a loggbok entry; a channel
/// that is down is tried again until it answers, and what it confirmed is never sent twice.
/// </summary>
public sealed class AlertDeliveryTests(ITestOutputHelper output)
{
    private const string Sector = "energiforsorjning";
    private const string PerEmail = "per.lind@stockholm.example";
    private const string KarinEmail = "karin.holm@stockholm.example";

    private static Dictionary<string, string> Settings(LoopbackSmtp smtp, LoopbackWebhook? hook = null, (string Public, string Private)? vapid = null)
    {
        var settings = new Dictionary<string, string>(smtp.AlertSettings(PerEmail))
        {
            ["Lagesbild:Alerts:Channels:People:1:Name"] = "Karin Holm",
            ["Lagesbild:Alerts:Channels:People:1:Email"] = KarinEmail,
            ["Lagesbild:Alerts:Channels:FirstRetrySeconds"] = "0.2",
            ["Lagesbild:Alerts:Channels:LongestRetrySeconds"] = "1",
            ["Lagesbild:Alerts:Channels:MaxAttempts"] = "50",
            ["Lagesbild:Alerts:Channels:SendTimeoutSeconds"] = "1",
            ["Lagesbild:Alerts:Channels:PageAddress"] = "https://lagesbild.stockholm.example/",
        };
        if (hook is not null)
        {
            settings["Lagesbild:Alerts:Channels:Webhook:Enabled"] = "true";
            settings["Lagesbild:Alerts:Channels:Webhook:Targets:sms:Url"] = hook.Url.ToString();
            settings["Lagesbild:Alerts:Channels:Webhook:Targets:sms:Secret"] = hook.Secret;
            settings["Lagesbild:Alerts:Channels:People:0:Webhook"] = "sms";
        }
        if (vapid is { } keys)
        {
            settings["Lagesbild:Alerts:Channels:WebPush:Enabled"] = "true";
            settings["Lagesbild:Alerts:Channels:WebPush:Subject"] = "mailto:tib@stockholm.example";
            settings["Lagesbild:Alerts:Channels:WebPush:PublicKey"] = keys.Public;
            settings["Lagesbild:Alerts:Channels:WebPush:PrivateKey"] = keys.Private;
        }
        return settings;
    }

    [Fact]
    public async Task The_TiB_gets_the_alert_by_email_webhook_and_web_push_once_each_and_the_loggbok_says_so()
    {
        await using var smtp = await LoopbackSmtp.StartAsync();
        await using var hook = await LoopbackWebhook.StartAsync();
        await using var push = await LoopbackPushService.StartAsync();
        var vapid = NewVapidKeys();
        await using var server = new ServerProcess(settings: Settings(smtp, hook, vapid));
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        using var per = server.CreateClient("per");

        using (var key = await per.GetAsync("api/push-subscriptions/key"))
        {
            var answer = JsonDocument.Parse(await key.Content.ReadAsStringAsync()).RootElement;
            Assert.True(answer.GetProperty("enabled").GetBoolean());
            Assert.Equal(vapid.PublicKey, answer.GetProperty("publicKey").GetString());
        }
        using (var subscribed = await per.SendJsonAsync("POST", "api/push-subscriptions", JsonSerializer.Serialize(push.Subscribe("pers-telefon"))))
            Assert.Equal(204, (int)subscribed.StatusCode);
        using (var bad = await per.SendJsonAsync("POST", "api/push-subscriptions", """{"endpoint":"ftp://x"}"""))
            Assert.Equal(400, (int)bad.StatusCode);

        await PlanAsync(anna, "tib", "Per Lind");
        const string note = "Intern anteckning: reservkraften i Farsta är osäker";
        await SectorAsync(anna, Sector, "Down", internalNote: note);
        var (id, alert) = await WaitForAlertAsync(anna, a => true);
        var title = alert.GetProperty("name").GetString()!;

        await UntilAsync(async () => (await AlertDeliveryEntries(anna, id)).Length == 3, "Not every channel's delivery was recorded.");
        var entries = await AlertDeliveryEntries(anna, id);
        Assert.Equal(["smtp", "webhook", "webpush"], entries.Select(e => e.GetProperty("change").GetProperty("channel").GetString()).Order());
        Assert.All(entries, e => Assert.Equal(("Delivered", "Lagesbild (utskick)", "Per Lind"),
            (e.GetProperty("change").GetProperty("result").GetString(), e.GetProperty("actor").GetProperty("name").GetString(), e.GetProperty("change").GetProperty("person").GetString())));

        var (_, mail) = Assert.Single(smtp.Received);
        Assert.Equal(PerEmail, mail.To.Mailboxes.Single().Address);
        Assert.Contains(title, mail.Subject);
        Assert.EndsWith("@lagesbild", mail.MessageId);
        Assert.Contains("https://lagesbild.stockholm.example/?picture=live&alert=", mail.TextBody);

        var call = Assert.Single(hook.Calls);
        Assert.True(call.SignatureValid);
        using var body = JsonDocument.Parse(call.Body);
        Assert.Equal((title, "070-123 45 67", false), (body.RootElement.GetProperty("title").GetString(), body.RootElement.GetProperty("phone").GetString(), body.RootElement.GetProperty("exercise").GetBoolean()));
        Assert.Equal(body.RootElement.GetProperty("id").GetString(), call.IdempotencyKey);

        var pushed = Assert.Single(push.Calls);
        Assert.True(pushed.VapidValid);
        Assert.Equal((vapid.PublicKey, "aes128gcm"), (pushed.VapidPublicKey, pushed.ContentEncoding));
        Assert.NotNull(pushed.Payload);
        Assert.Contains(title, JsonDocument.Parse(pushed.Payload).RootElement.GetProperty("title").GetString());

        // The internal note on the change that caused it is in none of them.
        Assert.DoesNotContain(note, mail.TextBody + mail.Subject + call.Body + pushed.Payload);

        (_, alert) = await WaitForAlertAsync(anna, a => a.GetProperty("recipients")[0].GetProperty("channels").GetArrayLength() == 3);
        Assert.Equal("NotConfirmed", alert.GetProperty("recipients")[0].GetProperty("state").GetString());
        output.WriteLine($"raised {alert.GetProperty("raisedAt").GetDateTimeOffset():HH:mm:ss.fff}; " + string.Join(", ",
            entries.Select(e => $"{e.GetProperty("change").GetProperty("channel").GetString()} recorded {(e.GetProperty("at").GetDateTimeOffset() - alert.GetProperty("raisedAt").GetDateTimeOffset()).TotalMilliseconds:0} ms after")));

        // Confirmed channels are done: nothing more arrives however long the outbox runs.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal((1, 1, 1), (smtp.Received.Count, hook.Calls.Count, push.Calls.Count));
    }

    [Fact]
    public async Task An_exercise_alert_waits_out_a_mail_server_that_is_down_and_a_webhook_that_fails_or_hangs_and_arrives_once_marked_OVNING()
    {
        var smtp = new LoopbackSmtp();
        await using var _ = smtp;
        await using var hook = await LoopbackWebhook.StartAsync();
        hook.Answer = WebhookAnswer.ServerError;
        await using var server = new ServerProcess(settings: Settings(smtp, hook));
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        // Web push is off here: the page's question is answered, not failed (every operator's page asks on every visit).
        using (var key = await anna.GetAsync("api/push-subscriptions/key"))
            Assert.Equal((200, """{"enabled":false,"publicKey":null}"""), ((int)key.StatusCode, await key.Content.ReadAsStringAsync()));
        using (var created = await anna.SendJsonAsync("POST", "api/pictures", """{"id":"ex-natt","name":"Nattövning"}"""))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await PlanAsync(anna, "tib", "Per Lind", "ex-natt");
        await SectorAsync(anna, Sector, "Down", "ex-natt");
        var (id, _) = await WaitForAlertAsync(anna, a => true, picture: "ex-natt");

        await UntilAsync(() => Task.FromResult(hook.Calls.Count >= 2), "The webhook was not tried again after a 500.");
        hook.Answer = WebhookAnswer.Hang;
        var hung = hook.Calls.Count;
        await UntilAsync(() => Task.FromResult(hook.Calls.Count >= hung + 2), "The webhook was not tried again after it did not answer.");
        hook.Answer = WebhookAnswer.Ok;
        await UntilAsync(() => Task.FromResult(hook.Calls.Any(c => c.Answered == 200)), "The webhook never got through.");
        await UntilAsync(() => Task.FromResult(server.Output.Contains("on smtp: try 3 failed", StringComparison.Ordinal)), "The mail was not tried again while the server was down.");
        Assert.Empty(smtp.Received);

        await smtp.StartAgainAsync();
        await UntilAsync(async () => (await AlertDeliveryEntries(anna, id, "ex-natt")).Length == 2, "The mail was not delivered once the server was back.");
        await Task.Delay(TimeSpan.FromSeconds(2));

        var (_, mail) = Assert.Single(smtp.Received);
        Assert.Contains("ÖVNING", mail.Subject);
        Assert.StartsWith("ÖVNING", mail.TextBody);
        Assert.Single(hook.Calls, c => c.Answered == 200);
        Assert.All(hook.Calls, c => Assert.True(c.SignatureValid));
        Assert.Single(hook.Calls.Select(c => c.IdempotencyKey).Distinct());
        Assert.Contains("ÖVNING", JsonDocument.Parse(hook.Calls[^1].Body).RootElement.GetProperty("title").GetString());
        var entries = await AlertDeliveryEntries(anna, id, "ex-natt");
        Assert.Equal([("smtp", "Delivered"), ("webhook", "Delivered")], entries
            .Select(e => (e.GetProperty("change").GetProperty("channel").GetString(), e.GetProperty("change").GetProperty("result").GetString())).Order());
        Assert.Empty(await AlertsAsync(anna));
        output.WriteLine($"webhook calls: {string.Join(", ", hook.Calls.Select(c => c.Answered))}");
    }

    [Fact]
    public async Task An_address_the_mail_server_refuses_makes_the_recipient_Unreachable_and_the_next_wave_goes_at_once()
    {
        await using var smtp = await LoopbackSmtp.StartAsync();
        smtp.Refused.Add(PerEmail);
        await using var server = new ServerProcess(settings: Settings(smtp));
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        await PlanAsync(anna, "tib", "Per Lind");
        await PlanAsync(anna, "tib-reserv", "Karin Holm");
        await SectorAsync(anna, Sector, "Down");

        var (id, alert) = await WaitForAlertAsync(anna, a => a.GetProperty("wave").GetInt32() == 2);
        var first = alert.GetProperty("recipients")[0];
        Assert.Equal(("Per Lind", "Unreachable"), (first.GetProperty("person").GetString(), first.GetProperty("state").GetString()));
        Assert.Equal(("smtp", "Unreachable"), (first.GetProperty("channels")[0].GetProperty("channel").GetString(), first.GetProperty("channels")[0].GetProperty("result").GetString()));
        Assert.Equal("Karin Holm", alert.GetProperty("recipients")[1].GetProperty("person").GetString());
        var unreachable = Assert.Single(await AlertDeliveryEntries(anna, id), e => e.GetProperty("change").GetProperty("result").GetString() == "Unreachable");
        Assert.Contains("550", unreachable.GetProperty("change").GetProperty("detail").GetString());
        // The loggbok, which partners read, names no address.
        Assert.DoesNotContain(PerEmail, unreachable.GetRawText());

        await UntilAsync(() => Task.FromResult(smtp.Received.Count == 1), "The second wave's mail did not arrive.");
        Assert.Equal(KarinEmail, smtp.Received[0].Message.To.Mailboxes.Single().Address);
    }

    private static async Task<JsonElement[]> AlertDeliveryEntries(HttpClient http, string id, string picture = "live") =>
        [.. (await EntriesAsync(http, id, picture)).Where(e => e.GetProperty("type").GetString() == "AlertDeliveryRecorded")];
}
