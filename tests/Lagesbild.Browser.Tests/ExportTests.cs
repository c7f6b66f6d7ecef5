using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>The exports and the search on the page: a beslut found by a word of its title, the samlad lägesbild downloaded as a PDF, the minutes printed alone.</summary>
[Collection(Chromium.Collection)]
public sealed class ExportTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Central_finds_a_beslut_by_a_word_downloads_the_samlad_lagesbild_as_pdf_and_prints_the_minutes_alone()
    {
        var word = $"sök{Guid.NewGuid():N}"[..11];
        var id = $"b-webb-{Guid.NewGuid():N}"[..24];
        using var http = fixture.Server.CreateClient("anna");
        var seq = (await http.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot")).GetProperty("seq").GetInt64();
        using (var recorded = await http.PostAsJsonAsync("api/pictures/live/resolutions", new
        {
            id, title = $"Öppna Storforsplan {word}", text = "Trygghetspunkten öppnas kl. 18.", mandate = "CentralCrisisManagement",
            decidedBy = "Anna Berg", basis = new { pictureSeq = Math.Max(1, seq) },
        }))
            Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await anna.WaitUntilLiveAsync();

        // The search box in the beslutslogg finds it by a word of its title.
        await anna.Page.Locator("#resolutions details.search summary").ClickAsync();
        await anna.Page.Locator("#resolutions form.resolution-search input[name=text]").FillAsync(word.ToUpperInvariant());
        await anna.Page.Locator("#resolutions form.resolution-search button[type=submit]").ClickAsync();
        await Expect(anna.Page.Locator($"#resolutions .search-results li[data-hit=\"{id}\"]")).ToContainTextAsync(word);

        // The samlad lägesbild as a PDF, fetched with her sign-in and handed over as a file.
        var download = await anna.Page.RunAndWaitForDownloadAsync(() =>
            anna.Page.Locator("#reports .exports button").First.ClickAsync());
        Assert.EndsWith(".pdf", download.SuggestedFilename);
        var file = await download.PathAsync();
        Assert.Equal("%PDF"u8.ToArray(), File.ReadAllBytes(file)[..4]);

        // The minutes, opened for printing: printed, they are all there is on the page.
        await anna.Page.Locator("#resolutions details.minutes-tools summary").ClickAsync();
        await anna.Page.Locator("#resolutions button[data-minutes-toggle]").ClickAsync();
        await Expect(anna.Page.Locator($"#minutes [data-minutes-resolution=\"{id}\"]")).ToContainTextAsync("Anna Berg");
        await anna.Page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(anna.Page.Locator("#minutes")).ToBeVisibleAsync();
        await Expect(anna.Page.Locator(".map-wrap")).ToBeHiddenAsync();
        await Expect(anna.Page.Locator("#resolutions details.search")).ToBeHiddenAsync();
        output.WriteLine($"the minutes as printed: {await anna.ScreenshotAsync("minutes-print")}");
        Assert.Empty(anna.ScriptErrors);
    }
}
