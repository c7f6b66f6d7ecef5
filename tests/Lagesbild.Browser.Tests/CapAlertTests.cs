using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// At night SOS Alarm sends a signed CAP message about a gas leak: it appears in the TiB's duty view on her phone
/// (390×844), saying it came from outside, from whom and where, and one tap acknowledges it. The TiB shows its area on
/// the map and takes it into the picture with one tap; central's map draws it as it happens.
/// Screenshots: phone-cap-alert, phone-cap-alert-acknowledged, phone-cap-area-shown, phone-cap-area-accepted, central-cap-area.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class CapAlertTests(Chromium chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task An_incoming_CAP_alert_appears_in_the_TiBs_duty_view_with_its_sender_and_area_and_she_acknowledges_it()
    {
        await using var server = Server();
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

    [Fact]
    public async Task The_TiB_takes_a_CAP_alerts_area_into_the_picture_with_one_tap_and_another_map_sees_it_appear_live()
    {
        await using var server = Server();
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        await AlertApi.PlanAsync(anna, "tib", "Per Lind");

        await using var per = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true, user: "per");
        await using var central = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Desktop, user: "anna");
        await per.WaitUntilLiveAsync();
        await central.WaitUntilLiveAsync();

        using (var outside = new HttpClient { BaseAddress = server.BaseAddress })
        using (var posted = await CapSenders.PostAsync(outside, CapSenders.Message("SOS-2026-0600")))
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        var row = per.Page.Locator("li.alert-row[data-mine=\"true\"]");
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var id = await row.GetAttributeAsync("data-alert-id");
        Assert.Equal(0, await WarningAreasAsync(central));

        // "Show on map" draws the area, highlighted, before anyone decides.
        await row.Locator($"button[data-show-area=\"{id}\"]").TapAsync();
        await per.WaitForAsync($"() => window.lagesbild.warningAreas().some(a => a.id === '{id}' && a.selected && !a.accepted)");
        output.WriteLine($"shown: {await per.ScreenshotAsync("phone-cap-area-shown")}");

        // The triage controls are labelled and big enough for a thumb.
        var form = row.Locator("form.alert-triage");
        await Expect(form.GetByLabel("Kommentar eller skäl (krävs för att avfärda)")).ToBeVisibleAsync();
        await Expect(form.GetByLabel("Vidarebefordra till beredskapen hos")).ToBeVisibleAsync();
        var accept = form.Locator("button[data-command=\"AcceptAlert\"]");
        foreach (var command in new[] { "AcceptAlert", "ForwardAlert", "DismissAlert" })
        {
            var box = await form.Locator($"button[data-command=\"{command}\"]").BoundingBoxAsync();
            Assert.True(box is { Height: >= 44 }, $"{command}'s button is {box?.Height} px high");
        }

        // Dismissing without a reason is refused, and the field says why.
        await form.Locator("button[data-command=\"DismissAlert\"]").TapAsync();
        await Expect(form.Locator("textarea[name=\"reason\"][aria-invalid=\"true\"]")).ToHaveCountAsync(1);
        await Expect(form.Locator(".field-error")).ToHaveTextAsync("Måste anges.");

        var started = DateTimeOffset.UtcNow;
        await accept.TapAsync();
        await central.WaitForAsync($"() => window.lagesbild.warningAreas().some(a => a.id === '{id}' && a.accepted && a.headline === 'Gasläcka i Farsta centrum' && a.sender === 'SOS Alarm')");
        output.WriteLine($"tap → area on central's map: {(DateTimeOffset.UtcNow - started).TotalMilliseconds:0} ms");
        await Expect(per.Page.Locator($"li.alert-row[data-alert-id=\"{id}\"] [data-triage=\"Accepted\"]")).ToContainTextAsync("Intaget i lägesbilden av Per Lind");
        await Expect(central.Page.Locator("[data-legend=\"warning-area\"]")).ToHaveCountAsync(1);
        output.WriteLine($"accepted: {await per.ScreenshotAsync("phone-cap-area-accepted")}, {await central.ScreenshotAsync("central-cap-area")}");
        Assert.Empty(per.ScriptErrors);
        Assert.Empty(central.ScriptErrors);
    }

    [Fact]
    public async Task What_the_TiB_types_into_a_triage_form_stays_while_other_alerts_arrive_and_goes_with_her_answer()
    {
        await using var server = Server();
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        using var perApi = server.CreateClient("per");
        await AlertApi.PlanAsync(anna, "tib", "Per Lind");

        await using var per = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true, user: "per");
        await per.WaitUntilLiveAsync();
        using var outside = new HttpClient { BaseAddress = server.BaseAddress };
        using (var posted = await CapSenders.PostAsync(outside, CapSenders.Message("SOS-2026-0700")))
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());

        var rows = per.Page.Locator("li.alert-row[data-mine=\"true\"]");
        await Expect(rows).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        var id = await rows.GetAttributeAsync("data-alert-id");
        var row = per.Page.Locator($"li.alert-row[data-alert-id=\"{id}\"]");

        // The notice at the foot of the phone's screen: its "Visa" button is readable (WCAG 2.1 AA: text against the
        // button's own opaque background at least 4.5:1) and thumb-sized.
        var show = per.Page.Locator(".alert-notice button");
        await Expect(show).ToHaveTextAsync("Visa");
        var contrast = await show.EvaluateAsync<double>("""
            button => {
              const style = getComputedStyle(button);
              const luminance = (css) => {
                const [r, g, b] = css.match(/[\d.]+/g).slice(0, 3).map(Number).map((c) => c / 255)
                  .map((c) => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
              };
              const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
              return (light + 0.05) / (dark + 0.05);
            }
            """);
        Assert.True(contrast >= 4.5, $"the notice's \"Visa\" has a contrast of {contrast:0.00}:1");
        Assert.True(await show.BoundingBoxAsync() is { Height: >= 44 }, "the notice's button is under 44 px high");

        // She chooses a desk and starts to write why.
        var form = row.Locator("form.alert-triage");
        var desk = form.Locator("select[name=\"desk\"]");
        var farsta = await desk.Locator("option", new() { HasText = "Farsta" }).First.GetAttributeAsync("value");
        await desk.SelectOptionAsync(farsta!);
        var reason = form.Locator("textarea[name=\"reason\"]");
        await reason.TapAsync();
        await reason.PressSequentiallyAsync("Gasbolaget på plats");

        // Meanwhile a second alert comes in, and the first is acknowledged from her other device: the list is drawn anew twice.
        using (var posted = await CapSenders.PostAsync(outside, CapSenders.Message("SOS-2026-0701", headline: "Vattenläcka i Hökarängen")))
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        await Expect(rows).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        using (var acknowledged = await perApi.SendJsonAsync("POST", $"api/pictures/live/alerts/{id}/acknowledge", "{}"))
            Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
        await Expect(row).ToHaveAttributeAsync("data-acknowledged", "true");

        // Her words, her desk and her caret are where she left them: she types on.
        await Expect(reason).ToHaveValueAsync("Gasbolaget på plats");
        await Expect(reason).ToBeFocusedAsync();
        await Expect(desk).ToHaveValueAsync(farsta!);
        await per.Page.Keyboard.TypeAsync(", ingen fara för boende");
        await Expect(reason).ToHaveValueAsync("Gasbolaget på plats, ingen fara för boende");

        // Dismissing needs a reason: hers, as typed across the redraws, is the one recorded.
        await form.Locator("button[data-command=\"DismissAlert\"]").TapAsync();
        var triage = row.Locator("[data-triage=\"Dismissed\"]");
        await Expect(triage).ToContainTextAsync("Avfärdat av Per Lind");
        await Expect(triage).ToContainTextAsync("Gasbolaget på plats, ingen fara för boende");
        Assert.Empty(per.ScriptErrors);
    }

    private static ServerProcess Server()
    {
        var settings = new Dictionary<string, string>
        {
            ["Lagesbild:Alerts:Enabled"] = "true",
            ["Lagesbild:Alerts:Rules:0"] = "SectorDown",
            ["Lagesbild:Alerts:EscalateAfterSeconds"] = "3600",
        };
        CapSenders.AddIntake(settings);
        return new ServerProcess(settings: settings);
    }

    private static async Task<int> WarningAreasAsync(MapPage page) =>
        (await page.Page.EvaluateAsync<JsonElement>("() => window.lagesbild.warningAreas()")).GetArrayLength();

    /// <summary>Signed as a sender does: HMAC-SHA256 over "t.body" (docs/protocol.md, CAP intake).</summary>
    private static Task<HttpResponseMessage> PostAsync(HttpClient http, DateTimeOffset now) =>
        CapSenders.PostAsync(http, CapSenders.Message("SOS-2026-0412", sent: now), at: now.ToUnixTimeSeconds());
}
