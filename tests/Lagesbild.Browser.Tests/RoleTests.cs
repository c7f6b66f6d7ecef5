using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

[Collection(Chromium.Collection)]
public sealed class RoleTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_district_operator_opens_a_point_of_their_own_and_cannot_touch_another_districts()
    {
        const string own = "farsta-emma-hokarangen";
        const string others = "sodermalm-danvikstull";
        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "sara");
        await page.WaitUntilLiveAsync();
        await Expect(page.Page.GetByText(new Regex("Inloggad som Sara Ek"))).ToBeVisibleAsync();

        // Another district's point: the controls are there, disabled, and say why.
        await page.PointRow(others).GetByRole(AriaRole.Button).ClickAsync();
        var othersStatus = page.Page.Locator("button[data-command=\"ChangeSafetyPointStatus\"]");
        await Expect(othersStatus).ToBeDisabledAsync();
        await Expect(page.Page.GetByText("Du kan bara ändra i Farsta").First).ToBeVisibleAsync();
        output.WriteLine($"another district's point: {await page.ScreenshotAsync("district-operator-other-point")}");

        // Her own point: she activates it, and the map shows it.
        await page.PointRow(own).GetByRole(AriaRole.Button).ClickAsync();
        var ownStatus = page.Page.Locator("button[data-command=\"ChangeSafetyPointStatus\"]");
        await Expect(ownStatus).ToBeEnabledAsync();
        await ownStatus.ClickAsync();
        await page.Page.Locator($"input[name=status][value=Activating]").CheckAsync();
        await page.Page.Locator("form button[type=submit]").ClickAsync();

        await Expect(page.PointRow(own)).ToHaveAttributeAsync("data-status", "Activating");
        Assert.Equal("Activating", (await page.PointSymbolAsync(own))?.Status);
        Assert.Equal("Inactive", (await page.PointSymbolAsync(others))?.Status);
        output.WriteLine($"own point activated: {await page.ScreenshotAsync("district-operator-own-point")}");
        Assert.Empty(page.ScriptErrors);
    }
}
