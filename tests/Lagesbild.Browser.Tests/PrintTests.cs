using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// What the page prints for the krisledningsmöte of an exercise, printed by Chromium itself to a PDF and read back
/// page by page: the meeting minutes alone, and one lägesrapport alone with every version, ÖVNING on every page.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class PrintTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_exercises_minutes_and_a_report_print_alone_with_OVNING_on_every_page()
    {
        var picture = $"ex-{Guid.NewGuid():N}"[..15];
        var created = await fixture.Http.SendJsonAsync("POST", "api/pictures", $$"""{"id":"{{picture}}","name":"STADSÖ utskrift"}""");
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        using var anna = fixture.Server.CreateClient("anna");
        using var sara = fixture.Server.CreateClient("sara");

        // Enough beslut for the minutes to run over more than one printed page.
        var seq = (await anna.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/snapshot")).GetProperty("seq").GetInt64();
        for (var i = 1; i <= 30; i++)
        {
            using var recorded = await anna.PostAsJsonAsync($"api/pictures/{picture}/resolutions", new
            {
                id = $"b-utskrift-{i}", title = $"Beslut nummer {i} om reservkraft",
                text = string.Join(" ", Enumerable.Repeat($"Trygghetspunkt {i} får reservkraft före kl. 18 och bemannas dygnet runt.", 4)),
                mandate = "CentralCrisisManagement", decidedBy = "Anna Berg", basis = new { pictureSeq = Math.Max(1, seq) },
            });
            Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        }
        // Farsta's report, then a correction of it: both versions are printed.
        var report = new { @event = new { what = "Strömavbrott i Hökarängen", where = "Hökarängen", when = "06:40", source = "Ellevio" },
            consequences = new { now = "3 000 hushåll utan ström" }, actions = "Storforsplan öppnad", forecast = "Ström åter i kväll" };
        using (var sent = await sara.PostAsJsonAsync($"api/pictures/{picture}/reports/district-farsta", new { contents = report }))
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        using (var corrected = await sara.PostAsJsonAsync($"api/pictures/{picture}/reports/district-farsta/corrections", new
        {
            number = 1, why = "Fel antal hushåll", contents = report with { consequences = new { now = "5 000 hushåll utan ström" } },
        }))
            Assert.True(corrected.IsSuccessStatusCode, await corrected.Content.ReadAsStringAsync());

        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await page.Page.GotoAsync(new Uri(fixture.Server.BaseAddress, $"?user=anna&picture={picture}").ToString());
        await page.WaitUntilLiveAsync();

        // The minutes, printed: every beslut, nothing of the map, ÖVNING on each page.
        await page.Page.Locator("#resolutions details.minutes-tools summary").ClickAsync();
        await page.Page.Locator("#resolutions button[data-minutes-toggle]").ClickAsync();
        await Expect(page.Page.Locator("#minutes [data-minutes-resolution]")).ToHaveCountAsync(30);
        var minutes = await PrintedPagesAsync(page.Page);
        output.WriteLine($"the minutes printed on {minutes.Length} pages");
        Assert.True(minutes.Length >= 2, $"30 beslut fit on {minutes.Length} page(s); the test needs them to run over.");
        Assert.All(minutes, text => Assert.Contains("ÖVNING", text));
        Assert.Contains("Beslutnummer30", string.Concat(minutes));
        Assert.DoesNotContain("Lägesrapportförsenad", string.Concat(minutes));
        await page.Page.Locator("#resolutions button[data-minutes-toggle]").ClickAsync();

        // Farsta's report opened from the samlad lägesbild and printed alone, both versions and why it was corrected.
        await page.Page.Locator("button[data-overview-toggle]").ClickAsync();
        await page.Page.Locator("#overview button[data-open-report=district-farsta]").ClickAsync();
        await Expect(page.Page.Locator("#details .report-version")).ToHaveCountAsync(2);
        await page.Page.EvaluateAsync("() => { window.print = () => { window.printedAt = Date.now(); }; }");
        await page.Page.Locator("#details button[data-report-print]").ClickAsync();
        Assert.True(await page.Page.EvaluateAsync<bool>("() => typeof window.printedAt === 'number' && document.body.classList.contains('printing-report')"));
        var printed = await PrintedPagesAsync(page.Page);
        var all = string.Concat(printed);
        output.WriteLine($"the report printed on {printed.Length} page(s)");
        Assert.All(printed, text => Assert.Contains("ÖVNING", text));
        Assert.Contains("5000hushållutanström", all);
        Assert.Contains("3000hushållutanström", all);
        Assert.Contains("Felantalhushåll", all);
        Assert.DoesNotContain("Beslutnummer", all);

        // Printing over, the samlad lägesbild that was open claims the printout again.
        await page.Page.EvaluateAsync("() => window.dispatchEvent(new Event('afterprint'))");
        Assert.Equal("printing-overview", await page.Page.EvaluateAsync<string>(
            "() => ['printing-report', 'printing-overview', 'printing-minutes'].filter((c) => document.body.classList.contains(c)).join(' ')"));
        Assert.Empty(page.ScriptErrors);
    }

    /// <summary>The page as Chromium prints it (print media, A4), each printed page's text without white space.</summary>
    private static async Task<string[]> PrintedPagesAsync(IPage page)
    {
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true });
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(p => string.Concat(p.Text.Where(c => !char.IsWhiteSpace(c))))];
    }
}
