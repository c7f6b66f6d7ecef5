using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

[Collection(Chromium.Collection)]
public sealed class ReplayTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_replay_shows_the_map_as_it_was_read_only_and_playing_forward_changes_it()
    {
        const string point = "farsta-storforsplan";
        var activated = await fixture.Http.ChangeStatusAsync(point, "Activating");
        await Task.Delay(1500);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(1500);
        var opened = await fixture.Http.ChangeStatusAsync(point, "Open");

        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        await page.WaitUntilLiveAsync();
        await page.WaitForSeqAsync(opened);
        Assert.Equal("Open", (await page.PointSymbolAsync(point))?.Status);

        // The moment between the two changes: the point was activating, not yet open.
        await page.Page.GotoAsync(new Uri(fixture.Server.BaseAddress, $"?user=anna&replay={Uri.EscapeDataString(between.ToString("O"))}").ToString());
        await page.WaitForSeqAsync(activated);
        await Expect(page.Page.GetByText("UPPSPELNING", new() { Exact = true })).ToBeVisibleAsync();
        Assert.Equal("Activating", (await page.PointSymbolAsync(point))?.Status);
        await Expect(page.PointRow(point)).ToHaveAttributeAsync("data-status", "Activating");

        // Read-only: the point's change buttons are there, disabled, and say why.
        await page.PointRow(point).GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Page.Locator("button[data-command=\"ChangeSafetyPointStatus\"]")).ToBeDisabledAsync();
        await Expect(page.Page.GetByText("Uppspelning: lägesbilden som den var").First).ToBeVisibleAsync();
        output.WriteLine($"replay at {between:O}: {await page.ScreenshotAsync("replay-then")}");

        // Played forward at 60×, the point opens on the map and in the list, as it did.
        await page.Page.Locator("#replay-speed").SelectOptionAsync("60");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Spela", Exact = true }).ClickAsync();
        await page.WaitForSeqAsync(opened);
        Assert.Equal("Open", (await page.PointSymbolAsync(point))?.Status);
        await Expect(page.PointRow(point)).ToHaveAttributeAsync("data-status", "Open");
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Spela", Exact = true })).ToBeVisibleAsync();
        output.WriteLine($"played to the end: {await page.ScreenshotAsync("replay-played")}");
        Assert.Empty(page.ScriptErrors);
    }
}
