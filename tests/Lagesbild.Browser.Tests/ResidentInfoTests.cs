using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// What residents are told about a trygghetspunkt goes from the district's form to the public
/// page. The texts are read from the served contract's <c>ResidentInfo</c>, so a text added there
/// is checked through both pages without a new test.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class ResidentInfoTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const string Point = "farsta-emma-hokarangen";

    [Fact]
    public async Task A_district_operator_writes_every_text_for_residents_on_a_phone_and_residents_read_them_on_the_public_page()
    {
        using var http = fixture.Server.CreateClient("sara");
        var contract = await http.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var texts = contract.GetProperty("components").GetProperty("schemas").GetProperty("ResidentInfo").GetProperty("properties")
            .EnumerateObject().Select(p => p.Name).ToArray();
        Assert.NotEmpty(texts);
        await http.EnsureActivatedAsync(Point);

        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await page.WaitUntilLiveAsync();
        await page.PointRow(Point).GetByRole(AriaRole.Button).ClickAsync();
        await page.Page.Locator("button[data-command=\"UpdateSafetyPointDetails\"]").ClickAsync();
        var form = page.Page.Locator("form.command-form");
        foreach (var text in texts)
            await form.Locator($"[name=\"{text}\"]").FillAsync($"Skrivet för {text}");
        output.WriteLine($"details form: {await page.ScreenshotAsync("resident-info-form")}");
        await form.Locator("button[type=submit]").ClickAsync();

        // The operators' details show each text under its label.
        var details = page.Page.Locator("#details");
        foreach (var text in texts)
            await Expect(details.GetByText($"Skrivet för {text}")).ToBeVisibleAsync();

        await using var residents = await MapPage.OpenPublicAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        var listed = residents.Page.Locator($"[data-public-point-id=\"{Point}\"]");
        foreach (var text in texts)
            await Expect(listed.GetByText($"Skrivet för {text}")).ToBeVisibleAsync();
        output.WriteLine($"public page: {await residents.ScreenshotAsync("resident-info-public")}");
        // The residents' page is the operators' script without the operators' map: it never fetches that chunk (128 KB on a phone).
        var fetched = await residents.Page.EvaluateAsync<string[]>("() => performance.getEntriesByType('resource').map(r => new URL(r.name).pathname)");
        Assert.DoesNotContain(fetched, path => path.StartsWith("/operators-", StringComparison.Ordinal));
        var operatorsFetched = await page.Page.EvaluateAsync<string[]>("() => performance.getEntriesByType('resource').map(r => new URL(r.name).pathname)");
        Assert.Contains(operatorsFetched, path => path.StartsWith("/operators-", StringComparison.Ordinal));
        Assert.Empty(page.ScriptErrors);
        Assert.Empty(residents.ScriptErrors);
    }

    /// <summary>A resident at Farsta centrum presses "Visa de närmaste" and gets the nearest open points, nearest first.</summary>
    [Fact]
    public async Task A_resident_is_shown_the_open_points_nearest_to_where_she_stands()
    {
        using var http = fixture.Server.CreateClient("anna");
        foreach (var point in new[] { "farsta-storforsplan", "farsta-emma-hokarangen", "skarpnack-centrum", "sodermalm-medborgarplatsen", "bromma-brommaplan" })
            await http.EnsureActivatedAsync(point);
        // As residents ask: without a token (a signed-in answer carries no cache tag to wait on).
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        await anonymous.WaitForPublicViewAsync((await http.DigestAsync()).Seq);
        // Farsta centrum; the server's own nearest answer for the same position is what the page must show.
        const double lon = 18.0932, lat = 59.2437;
        var expected = (await http.GetFromJsonAsync<JsonElement[]>(FormattableString.Invariant($"api/public/safety-points/nearest?lon={lon}&lat={lat}&count=3")))!
            .Select(n => n.GetProperty("point").GetProperty("id").GetString()).ToArray();

        await using var residents = await MapPage.OpenPublicAsync(chromium.Browser, fixture.Server.BaseAddress, output,
            async page =>
            {
                await page.Context.GrantPermissionsAsync(["geolocation"]);
                await page.Context.SetGeolocationAsync(new() { Longitude = (float)lon, Latitude = (float)lat });
            });
        await residents.Page.GetByRole(AriaRole.Button, new() { Name = "Visa de närmaste" }).ClickAsync();
        var shown = residents.Page.Locator(".public-near [data-public-point-id]");
        await Expect(shown).ToHaveCountAsync(3);

        var ids = await shown.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.publicPointId)");
        var metres = await shown.EvaluateAllAsync<int[]>("rows => rows.map(r => Number(r.querySelector('[data-distance-metres]').dataset.distanceMetres))");
        output.WriteLine($"nearest: {string.Join(", ", ids.Zip(metres, (id, m) => $"{id} {m} m"))}; {await residents.ScreenshotAsync("public-nearest")}");
        Assert.Equal(expected, ids);
        Assert.Equal(metres.Order(), metres);
        Assert.Contains("farsta-storforsplan", ids);
        Assert.DoesNotContain("bromma-brommaplan", ids);
        await Expect(residents.Page.Locator(".public-near .public-distance").First).ToContainTextAsync("fågelvägen");
        Assert.Empty(residents.ScriptErrors);
    }
}
