using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

[Collection(Chromium.Collection)]
public sealed class MapTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_map_shows_the_eleven_areas_and_every_demo_point()
    {
        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        await page.WaitUntilLiveAsync();
        await page.WaitForAsync($"() => window.lagesbild.areaCount() === {DemoPicture.DistrictCount}");

        Assert.Equal("connected", await page.ConnectionAsync());
        Assert.Equal(DemoPicture.DistrictCount, await page.AreaCountAsync());
        var demoIds = DemoPicture.Points.Select(p => p.Id).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(demoIds, await page.PointIdsAsync());

        var statuses = await DemoPicture.StatusesAsync(fixture.Http);
        foreach (var (id, name) in DemoPicture.Points)
        {
            var status = statuses[id];
            var row = page.PointRow(id);
            await Expect(row).ToHaveAttributeAsync("data-status", status);
            await Expect(row.GetByRole(AriaRole.Button)).ToHaveAccessibleNameAsync(
                new Regex($"{Regex.Escape(name)}.*{Regex.Escape(DemoPicture.StatusNames[status])}"));
            Assert.Equal(status, (await page.PointSymbolAsync(id))?.Status);
        }
        Assert.Empty(page.ScriptErrors);
        output.WriteLine($"desktop: {await page.ScreenshotAsync("map-desktop")}");
        // On a desktop the page is the screen: the map beside the panels, and the panels scroll on their own.
        // Nothing hidden (the screen readers' live regions) may make the page itself taller than the window.
        var (pageHeight, window) = (await page.Page.EvaluateAsync<int>("() => document.scrollingElement.scrollHeight"), MapPage.Desktop.Height);
        Assert.True(pageHeight <= window, $"the desktop page is {pageHeight} px tall in a window {window} px high");

        await using var phone = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true);
        await phone.WaitUntilLiveAsync();
        await phone.WaitForAsync($"() => window.lagesbild.areaCount() === {DemoPicture.DistrictCount}");
        Assert.Equal(demoIds, await phone.PointIdsAsync());
        Assert.Empty(phone.ScriptErrors);
        output.WriteLine($"phone: {await phone.ScreenshotAsync("map-phone")}");
        await phone.Page.Locator("#panels").ScrollIntoViewIfNeededAsync();
        output.WriteLine($"phone, the lists: {await phone.ScreenshotAsync("map-phone-lists")}");
    }

    [Fact]
    public async Task An_http_change_turns_a_points_symbol_within_a_second()
    {
        const string point = "farsta-storforsplan";
        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        await page.WaitUntilLiveAsync();
        Assert.Equal(new PointSymbol("small-circle", "#6b7280", "Inactive"), await page.PointSymbolAsync(point));

        // The page itself notes when the symbol turns, so the browser's round trip is not counted.
        await page.Page.EvaluateAsync("""
            id => {
              window.symbolTurned = new Promise((resolve) => {
                const timer = setInterval(() => {
                  if (window.lagesbild.pointSymbol(id)?.status !== "Inactive") { clearInterval(timer); resolve(Date.now()); }
                }, 2);
              });
            }
            """, point);
        var response = await fixture.Http.SendJsonAsync("POST", $"api/pictures/live/safety-points/{point}/status", """{"status":"Activating"}""");
        var answeredAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        response.EnsureSuccessStatusCode();
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var acceptedAt = accepted.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds();

        var turnedAt = await page.Page.EvaluateAsync<long>("() => window.symbolTurned");
        output.WriteLine($"symbol turned {turnedAt - answeredAt} ms after the HTTP answer ({turnedAt - acceptedAt} ms after the server accepted the change)");
        Assert.True(turnedAt - answeredAt < 1000, $"The symbol turned {turnedAt - answeredAt} ms after the HTTP answer.");
        Assert.Equal(new PointSymbol("triangle", "#d97706", "Activating"), await page.PointSymbolAsync(point));
        await Expect(page.PointRow(point)).ToHaveAttributeAsync("data-status", "Activating");
    }
}
