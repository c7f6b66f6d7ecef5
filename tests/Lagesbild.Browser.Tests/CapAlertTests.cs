using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// At night SOS Alarm sends a signed CAP message about a gas leak: it appears in the TiB's duty view on her phone
/// (390×844), saying it came from outside, from whom and where, and one tap acknowledges it.
/// Screenshots: phone-cap-alert, phone-cap-alert-acknowledged.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class CapAlertTests(Chromium chromium, ITestOutputHelper output)
{
    private const string Secret = "sos-alarm-test-hemlighet-som-ar-minst-32-tecken";

    [Fact]
    public async Task An_incoming_CAP_alert_appears_in_the_TiBs_duty_view_with_its_sender_and_area_and_she_acknowledges_it()
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string>
        {
            ["Lagesbild:Alerts:Enabled"] = "true",
            ["Lagesbild:Alerts:Rules:0"] = "SectorDown",
            ["Lagesbild:Alerts:EscalateAfterSeconds"] = "3600",
            ["Lagesbild:CapIntake:Enabled"] = "true",
            ["Lagesbild:CapIntake:Senders:0:Id"] = "sos-alarm",
            ["Lagesbild:CapIntake:Senders:0:Name"] = "SOS Alarm",
            ["Lagesbild:CapIntake:Senders:0:Secret"] = Secret,
        });
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        var now = DateTimeOffset.UtcNow;
        using (var planned = await anna.SendJsonAsync("PUT", "api/pictures/live/duty-rosters/tib", JsonSerializer.Serialize(new
        {
            shifts = new[] { new { person = "Per Lind", from = now.AddHours(-1), to = now.AddHours(12), phone = "070-123 45 67" } },
        })))
            Assert.True(planned.IsSuccessStatusCode, await planned.Content.ReadAsStringAsync());

        await using var per = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true, user: "per");
        await per.WaitUntilLiveAsync();

        using (var outside = new HttpClient { BaseAddress = server.BaseAddress })
        using (var posted = await PostAsync(outside, now))
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        var row = per.Page.Locator("li.alert-row[data-mine=\"true\"]");
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(row).ToContainTextAsync("Gasläcka i Farsta centrum");
        await Expect(row.Locator("[data-cap-sender=\"sos-alarm\"]")).ToHaveTextAsync("Utifrån (CAP) från SOS Alarm · Farsta centrum med omnejd");
        await Expect(row.Locator(".tag")).ToHaveTextAsync("Kritisk");
        output.WriteLine($"alert: {await per.ScreenshotAsync("phone-cap-alert")}");

        await per.Page.Locator(".alert-notice button").TapAsync();
        await row.Locator("button[data-command=\"AcknowledgeAlert\"]").TapAsync();
        await Expect(row.Locator("[data-recipient=\"Per Lind\"]")).ToHaveAttributeAsync("data-recipient-state", "Confirmed");
        output.WriteLine($"acknowledged: {await per.ScreenshotAsync("phone-cap-alert-acknowledged")}");
        Assert.Empty(per.ScriptErrors);
    }

    /// <summary>Signed as a sender does: HMAC-SHA256 over "t.body" (docs/protocol.md, CAP intake).</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, DateTimeOffset now)
    {
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
              <identifier>SOS-2026-0412</identifier>
              <sender>sos@sosalarm.se</sender>
              <sent>{now.ToOffset(TimeSpan.FromHours(1)):yyyy-MM-ddTHH:mm:sszzz}</sent>
              <status>Actual</status>
              <msgType>Alert</msgType>
              <scope>Public</scope>
              <info>
                <language>sv-SE</language>
                <category>Safety</category>
                <event>Gasläcka</event>
                <urgency>Immediate</urgency>
                <severity>Severe</severity>
                <certainty>Observed</certainty>
                <headline>Gasläcka i Farsta centrum</headline>
                <description>Läckage från gasledning vid Farsta centrum; området är avspärrat.</description>
                <area>
                  <areaDesc>Farsta centrum med omnejd</areaDesc>
                  <polygon>59.2460,18.0850 59.2460,18.1000 59.2380,18.1000 59.2380,18.0850 59.2460,18.0850</polygon>
                </area>
              </info>
            </alert>
            """;
        var body = Encoding.UTF8.GetBytes(xml);
        var t = now.ToUnixTimeSeconds();
        var signed = Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray();
        var request = new HttpRequestMessage(HttpMethod.Post, "api/pictures/live/alerts/cap") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cap+xml");
        request.Headers.Add("Lagesbild-Cap-Sender", "sos-alarm");
        request.Headers.Add("Lagesbild-Cap-Signature", $"t={t},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed))}");
        return await http.SendAsync(request);
    }
}
