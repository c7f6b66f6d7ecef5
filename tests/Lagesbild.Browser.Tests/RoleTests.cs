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
        // The reason is the server's own (Access.cs, through /permissions), word for word.
        await Expect(page.Page.GetByText("Sara Ek får bara ändra i sitt eget stadsdelsområde (farsta)").First).ToBeVisibleAsync();
        output.WriteLine($"another district's point: {await page.ScreenshotAsync("district-operator-other-point")}");

        // Her own point: she activates it, and the map shows it.
        await page.PointRow(own).GetByRole(AriaRole.Button).ClickAsync();
        var ownStatus = page.Page.Locator("button[data-command=\"ChangeSafetyPointStatus\"]");
        await Expect(ownStatus).ToBeEnabledAsync();
        await ownStatus.ClickAsync();
        await page.Page.Locator($"input[name=status][value=Activating]").CheckAsync();
        await page.Page.Locator("form[data-command=\"ChangeSafetyPointStatus\"] button[type=submit]").ClickAsync();

        await Expect(page.PointRow(own)).ToHaveAttributeAsync("data-status", "Activating");
        Assert.Equal("Activating", (await page.PointSymbolAsync(own))?.Status);
        Assert.Equal("Inactive", (await page.PointSymbolAsync(others))?.Status);
        output.WriteLine($"own point activated: {await page.ScreenshotAsync("district-operator-own-point")}");
        Assert.Empty(page.ScriptErrors);
    }

    /// <summary>
    /// The page has no rules of its own: for a district operator and for TiB (whose mandate over
    /// the districts follows the office hours), every change button on a point of her own
    /// district and of another is enabled or disabled exactly as the server's permissions say,
    /// with the server's reason beside a disabled one. A rule changed in Access.cs therefore
    /// changes the page with no edit to the page.
    /// </summary>
    [Theory]
    [InlineData("sara")]
    [InlineData("per")]
    public async Task What_the_page_enables_and_disables_is_what_the_server_says(string user)
    {
        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: user);
        await page.WaitUntilLiveAsync();
        using var http = fixture.Server.CreateClient(user);
        var table = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(http, "api/pictures/live/permissions");
        var checkedButtons = 0;

        foreach (var (point, district) in new[] { ("farsta-emma-hokarangen", "farsta"), ("sodermalm-danvikstull", "sodermalm") })
        {
            await page.PointRow(point).GetByRole(AriaRole.Button).ClickAsync();
            var verdicts = table.GetProperty("commandSets")[table.GetProperty("entities").GetProperty($"SafetyPoint/{point}").GetInt32()];
            var buttons = page.Page.Locator("#details button[data-command]");
            await Expect(buttons.First).ToBeVisibleAsync();
            foreach (var button in await buttons.AllAsync())
            {
                var command = await button.GetAttributeAsync("data-command");
                // A resource begäran is a new thing of its own, asked per district of the point.
                var verdict = command == "RequestResource"
                    ? table.GetProperty("requestResources").GetProperty(district).GetInt32()
                    : verdicts.GetProperty(command!).GetInt32();
                if (verdict < 0)
                {
                    await Expect(button).ToBeEnabledAsync();
                }
                else
                {
                    await Expect(button).ToBeDisabledAsync();
                    await Expect(page.Page.GetByText(table.GetProperty("reasons")[verdict].GetString()!).First).ToBeVisibleAsync();
                }
                checkedButtons++;
            }
            output.WriteLine($"{point}: {string.Join(", ", verdicts.EnumerateObject().Select(v => $"{v.Name} {(v.Value.GetInt32() < 0 ? "allowed" : "refused")}"))}");
        }
        output.WriteLine($"outside office hours: {table.GetProperty("outsideOfficeHours").GetBoolean()}; {checkedButtons} buttons checked against the server's verdicts");
        Assert.True(checkedButtons >= 8, $"only {checkedButtons} buttons were checked");
        Assert.Empty(page.ScriptErrors);
    }
}
