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
        await http.ChangeStatusAsync(Point, "Activating");

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
        Assert.Empty(page.ScriptErrors);
        Assert.Empty(residents.ScriptErrors);
    }
}
