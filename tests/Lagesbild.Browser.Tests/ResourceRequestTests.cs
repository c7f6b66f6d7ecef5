using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>A district asks for a generator on her phone; central commits it; both see every step live, to its release.</summary>
[Collection(Chromium.Collection)]
public sealed class ResourceRequestTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const string Point = "farsta-storforsplan";

    [Fact]
    public async Task Sara_requests_a_generator_on_her_phone_anna_commits_it_and_sara_sees_it_committed_delivered_and_released()
    {
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await using var sara = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await anna.WaitUntilLiveAsync();
        await sara.WaitUntilLiveAsync();

        // Sara opens her point and asks for a generator, saying why.
        await sara.Page.Locator($"[data-key=\"SafetyPoint/{Point}\"]").ClickAsync();
        await sara.Page.Locator("#details button[data-command=RequestResource]").ClickAsync();
        var form = sara.Page.Locator("#details form[data-command=RequestResource]");
        await form.Locator("select[name=resourceKind]").SelectOptionAsync("Generator");
        await form.Locator("textarea[name=reason]").FillAsync("Elen borta sedan 06:40; reservkraften räcker inte natten");
        output.WriteLine($"sara's request form: {await sara.ScreenshotAsync("resource-request-phone")}");
        await form.Locator("button[type=submit]").ClickAsync();
        var saraRow = sara.Page.Locator($"#details [data-point-resources=\"{Point}\"] li[data-resource-request]");
        await Expect(saraRow).ToHaveAttributeAsync("data-status", "Requested");

        // Anna sees it at once in the requests list and commits the generator the form offers.
        var annaRow = anna.Page.Locator("#resource-requests li[data-resource-request]").Filter(new() { HasText = "Reservkraftverk" }).First;
        await Expect(annaRow).ToHaveAttributeAsync("data-status", "Requested");
        await annaRow.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(anna.Page.Locator("#details .entity-text")).ToContainTextAsync("06:40");
        await anna.Page.Locator("#details button[data-command=CommitResource]").ClickAsync();
        await Expect(anna.Page.Locator("#details form[data-command=CommitResource] input[name=resources]:checked")).ToHaveCountAsync(1);
        await anna.Page.Locator("#details form[data-command=CommitResource] button[type=submit]").ClickAsync();

        // Sara sees it committed, with the time it took; she confirms the delivery at her point and later releases it.
        await Expect(saraRow).ToHaveAttributeAsync("data-status", "Committed");
        await Expect(saraRow).ToContainTextAsync("tilldelad efter");
        await saraRow.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(sara.Page.Locator("#details button[data-command=CommitResource]")).ToHaveCountAsync(0);
        await sara.Page.Locator("#details button[data-command=DeliverResource]").ClickAsync();
        await sara.Page.Locator("#details form[data-command=DeliverResource] button[type=submit]").ClickAsync();
        await Expect(sara.Page.Locator("#details [data-request-status]")).ToHaveAttributeAsync("data-request-status", "Delivered");
        await Expect(annaRow).ToHaveAttributeAsync("data-status", "Delivered");
        await sara.Page.Locator("#details button[data-command=ReleaseResource]").ClickAsync();
        await sara.Page.Locator("#details form[data-command=ReleaseResource] button[type=submit]").ClickAsync();
        await Expect(sara.Page.Locator("#details [data-request-status]")).ToHaveAttributeAsync("data-request-status", "Released");
        await Expect(annaRow).ToHaveAttributeAsync("data-status", "Released");
        output.WriteLine($"sara's phone, released: {await sara.ScreenshotAsync("resource-request-released")}");
        output.WriteLine($"anna's page: {await anna.ScreenshotAsync("resource-request-anna")}");
        Assert.Empty(anna.ScriptErrors);
        Assert.Empty(sara.ScriptErrors);
    }

    [Fact]
    public async Task A_condition_is_reported_from_the_points_details()
    {
        await using var sara = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await sara.WaitUntilLiveAsync();

        await sara.Page.Locator("[data-key=\"SafetyPoint/farsta-emma-hokarangen\"]").ClickAsync();
        await sara.Page.Locator("#details button[data-command=ReportSafetyPointCondition]").ClickAsync();
        var form = sara.Page.Locator("#details form[data-command=ReportSafetyPointCondition]");
        await form.Locator("input[name=indoorCelsius]").FillAsync("16.5");
        await form.Locator("button[type=submit]").ClickAsync();

        await Expect(sara.Page.Locator("#details [data-condition=Heat]")).ToContainTextAsync("16.5 °C");
        Assert.Empty(sara.ScriptErrors);
    }
}
