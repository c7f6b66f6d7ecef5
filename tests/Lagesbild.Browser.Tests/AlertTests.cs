using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// At night the TiB has only her phone (390×844, touch): a sector goes down, the alert appears on her page
/// with a notice, one tap acknowledges it, and central krisledning's page shows her as Confirmed.
/// Screenshots: phone-alert, phone-alert-acknowledged, central-alert-confirmed.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class AlertTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task The_alert_appears_on_the_TiBs_phone_one_tap_acknowledges_it_and_central_sees_her_Confirmed()
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string>
        {
            ["Lagesbild:Alerts:Enabled"] = "true",
            ["Lagesbild:Alerts:Rules:0"] = "SectorDown",
            ["Lagesbild:Alerts:EscalateAfterSeconds"] = "3600",
        });
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        var now = DateTimeOffset.UtcNow;
        await SendAsync(anna, "PUT", "duty-rosters/tib", new
        {
            shifts = new[] { new { person = "Per Lind", from = now.AddHours(-1), to = now.AddHours(12), phone = "070-123 45 67" } },
        });

        await using var per = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true, user: "per");
        await using var central = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, user: "anna");
        await per.WaitUntilLiveAsync();
        await central.WaitUntilLiveAsync();
        // What needs her stands first among the panels.
        Assert.Equal("alerts", await per.Page.EvaluateAsync<string>("() => document.querySelector('#panels > section.panel')?.id"));

        await SendAsync(anna, "PUT", "sectors/energiforsorjning/status", new { status = "Down", affectedDistricts = new[] { "farsta" } });
        var changed = System.Diagnostics.Stopwatch.StartNew();

        var row = per.Page.Locator("li.alert-row[data-mine=\"true\"]");
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        output.WriteLine($"from the sector's change to the alert on her page: {changed.ElapsedMilliseconds} ms (as polled by the test)");
        await Expect(per.Page.Locator(".alert-notice")).ToContainTextAsync("Nytt larm till dig");
        await Expect(row).ToContainTextAsync("Energiförsörjning");
        await Expect(row.Locator("[data-recipient=\"Per Lind\"]")).ToHaveAttributeAsync("data-recipient-state", "NotConfirmed");
        output.WriteLine($"alert: {await per.ScreenshotAsync("phone-alert")}");

        // The notice at the screen's foot leads to the alert's one tap.
        await per.Page.Locator(".alert-notice button").TapAsync();
        await row.Locator("button[data-command=\"AcknowledgeAlert\"]").TapAsync();

        await Expect(row.Locator("[data-recipient=\"Per Lind\"]")).ToHaveAttributeAsync("data-recipient-state", "Confirmed");
        await Expect(row.Locator("button[data-command=\"AcknowledgeAlert\"]")).ToHaveCountAsync(0);
        output.WriteLine($"acknowledged: {await per.ScreenshotAsync("phone-alert-acknowledged")}");
        var seen = central.Page.Locator("li.alert-row [data-recipient=\"Per Lind\"]");
        await Expect(seen).ToHaveAttributeAsync("data-recipient-state", "Confirmed");
        await Expect(seen).ToContainTextAsync("Kvitterat");
        // Central sees it and who confirmed it, but it was not hers to acknowledge.
        await Expect(central.Page.Locator("li.alert-row button[data-command=\"AcknowledgeAlert\"]")).ToHaveCountAsync(0);
        output.WriteLine($"central: {await central.ScreenshotAsync("central-alert-confirmed")}");
        Assert.Empty(per.ScriptErrors);
        Assert.Empty(central.ScriptErrors);
    }

    private static async Task SendAsync(HttpClient http, string method, string path, object body)
    {
        using var answer = await http.SendJsonAsync(method, $"api/pictures/live/{path}", JsonSerializer.Serialize(body));
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }
}
