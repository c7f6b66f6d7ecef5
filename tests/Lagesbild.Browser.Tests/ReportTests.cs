using System.Diagnostics;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>A server whose operativ rytm asks for a report every few seconds even at normalläge, so a report falls overdue while a test watches.</summary>
public sealed class ReportingServer() : RunningServer(new Dictionary<string, string>
{
    ["Lagesbild:Reports:CadenceHours:Normal"] = "0.002",
});

/// <summary>Lägesrapporter on the page: central asks, Farsta answers on a phone, the samlad lägesbild shows it live and flags who is overdue.</summary>
[Collection(Chromium.Collection)]
public sealed class ReportTests(Chromium chromium, ReportingServer fixture, ITestOutputHelper output) : IClassFixture<ReportingServer>
{
    [Fact]
    public async Task Central_asks_Farsta_for_a_report_sara_answers_on_her_phone_and_centrals_samlad_lagesbild_shows_it_live()
    {
        var title = $"Läget inför mötet {Guid.NewGuid():N}"[..32];
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await using var sara = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await anna.WaitUntilLiveAsync();
        await sara.WaitUntilLiveAsync();

        // Anna asks Farsta from her page, and opens the samlad lägesbild.
        await anna.Page.Locator("button[data-command=RequestSituationReport]").ClickAsync();
        var ask = anna.Page.Locator("#reports form");
        await ask.Locator("input[name=title]").FillAsync(title);
        await ask.Locator("input[name=recipients][value=district-farsta]").CheckAsync();
        await ask.Locator("textarea[name=questions]").FillAsync("Hur länge räcker dieseln?");
        await ask.Locator("button[type=submit]").ClickAsync();
        var annaRow = anna.Page.Locator("#reports li[data-request-id]").Filter(new() { HasText = title });
        await Expect(annaRow.Locator("[data-recipient=district-farsta]")).ToHaveAttributeAsync("data-status", "Sent");
        await anna.Page.Locator("button[data-overview-toggle]").ClickAsync();
        // Skärholmen has never reported, and the cadence at this level is a few seconds: it is flagged.
        await Expect(anna.Page.Locator("#overview tr[data-reporter=district-skarholmen]")).ToHaveAttributeAsync("data-overdue", "true");
        await Expect(anna.Page.Locator("#overview tr[data-reporter=district-skarholmen] .tag")).ToHaveTextAsync("Försenad");

        // The begäran reaches Sara's phone; she answers it there.
        var saraRow = sara.Page.Locator("#reports li[data-request-id]").Filter(new() { HasText = title });
        await saraRow.Locator("button[data-answer]").ClickAsync();
        var answer = sara.Page.Locator("#reports form");
        await answer.Locator("input[name=what]").FillAsync("Strömavbrott i Hökarängen");
        await answer.Locator("input[name=where]").FillAsync("Hökarängen");
        await answer.Locator("input[name=when]").FillAsync("sedan 06:40");
        await answer.Locator("textarea[name=now]").FillAsync("3 000 hushåll utan ström");
        await answer.Locator("textarea[name=actions]").FillAsync("Trygghetspunkten Storforsplan öppnad");
        await answer.Locator("textarea[name=forecast]").FillAsync("Ström åter i kväll");
        output.WriteLine($"sara's phone with the report: {await sara.ScreenshotAsync("report-sara-phone")}");
        var clock = Stopwatch.StartNew();
        await answer.Locator("button[type=submit]").ClickAsync();

        // Anna's samlad lägesbild shows Farsta's answer, with its source, and the begäran is answered.
        var farsta = anna.Page.Locator("#overview tr[data-reporter=district-farsta]");
        await Expect(farsta).ToContainTextAsync("Strömavbrott i Hökarängen");
        clock.Stop();
        output.WriteLine($"from sara's click to anna's samlad lägesbild showing the answer: {clock.ElapsedMilliseconds} ms (measured, not asserted)");
        await Expect(farsta.Locator("a.source")).ToHaveAttributeAsync("data-source", new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await Expect(annaRow.Locator("[data-recipient=district-farsta]")).ToHaveAttributeAsync("data-status", "Answered");
        await Expect(annaRow.Locator("[data-answer-rate]")).ToHaveTextAsync("1 av 1 har svarat");
        // And once the cadence has passed without a new report, Farsta is flagged too.
        await Expect(farsta).ToHaveAttributeAsync("data-overdue", "true", new() { Timeout = 30_000 });
        output.WriteLine($"anna's samlad lägesbild: {await anna.ScreenshotAsync("report-anna-overview")}");
        Assert.Empty(anna.ScriptErrors);
        Assert.Empty(sara.ScriptErrors);
    }
}
