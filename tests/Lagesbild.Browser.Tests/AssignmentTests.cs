using System.Diagnostics;
using System.Text.Json.Nodes;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>Uppdrag between levels on the page: given, acknowledged on a phone, seen live; a deadline that passes is marked.</summary>
[Collection(Chromium.Collection)]
public sealed class AssignmentTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Central_gives_Farsta_a_task_sara_acknowledges_it_on_her_phone_and_central_sees_it_live()
    {
        var title = $"Kontrollera trygghetspunkterna {Guid.NewGuid():N}"[..40];
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await using var sara = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await anna.WaitUntilLiveAsync();
        await sara.WaitUntilLiveAsync();

        // Anna gives Farsta the task from her page.
        await anna.Page.Locator("button[data-command=SendAssignment]").ClickAsync();
        var form = anna.Page.Locator("#assignments form");
        await form.Locator("input[name=title]").FillAsync(title);
        await form.Locator("textarea[name=instructions]").FillAsync("Ring varje punkt och rapportera reservkraft och vatten.");
        await form.Locator("select[name=toKind]").SelectOptionAsync("District");
        await form.Locator("input[name=toId]").FillAsync("farsta");
        await form.Locator("button[type=submit]").ClickAsync();

        // It reaches Sara's phone, marked as not acknowledged.
        var saraRow = sara.Page.Locator("#assignments li[data-assignment-id]").Filter(new() { HasText = title });
        await Expect(saraRow).ToHaveAttributeAsync("data-attention", "unacknowledged");
        await saraRow.GetByRole(AriaRole.Button).ClickAsync();
        await Expect(sara.Page.Locator("#details .entity-text")).ToContainTextAsync("Ring varje punkt");
        await Expect(sara.Page.Locator("#details button[data-command=CancelAssignment]")).ToBeDisabledAsync();
        await sara.Page.Locator("#details button[data-command=AcknowledgeAssignment]").ClickAsync();
        output.WriteLine($"sara's phone before acknowledging: {await sara.ScreenshotAsync("assignment-sara-phone")}");
        var annaRow = anna.Page.Locator("#assignments li[data-assignment-id]").Filter(new() { HasText = title });
        await Expect(annaRow).ToHaveAttributeAsync("data-status", "Sent");
        var clock = Stopwatch.StartNew();
        await sara.Page.Locator("#details form button[type=submit]").ClickAsync();

        // Anna sees the acknowledgement live, with no reload.
        await Expect(annaRow).ToHaveAttributeAsync("data-status", "Received");
        clock.Stop();
        await Expect(saraRow).ToHaveAttributeAsync("data-status", "Received");
        output.WriteLine($"from sara's click to anna's page showing it received: {clock.ElapsedMilliseconds} ms (measured, not asserted)");
        // Follow-up, as the server computes it: Farsta has one open uppdrag, none overdue or unacknowledged, and a time to acknowledge.
        await anna.Page.Locator("#assignments details.follow-up summary").ClickAsync();
        var farsta = anna.Page.Locator("#assignments .follow-up tbody tr[data-follow-up='District/farsta']");
        await Expect(farsta.Locator("th")).ToHaveTextAsync("Farsta");
        await Expect(farsta.Locator("td").Nth(0)).ToHaveTextAsync("1");
        await Expect(farsta.Locator("td").Nth(1)).ToHaveTextAsync("0");
        await Expect(farsta.Locator("td").Nth(2)).ToHaveTextAsync("0");
        await Expect(farsta.Locator("td").Nth(3)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ min$"));
        output.WriteLine($"anna's page: {await anna.ScreenshotAsync("assignment-anna-received")}");
        Assert.Empty(anna.ScriptErrors);
        Assert.Empty(sara.ScriptErrors);
    }

    [Fact]
    public async Task A_task_past_its_deadline_is_marked_in_the_task_panel_and_on_its_district()
    {
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await anna.WaitUntilLiveAsync();
        var id = $"u-forsenad-{Guid.NewGuid():N}"[..30];
        using var http = fixture.Server.CreateClient("anna");
        // Due a few seconds from now: accepted (a deadline must lie ahead), then it passes.
        var body = new JsonObject
        {
            ["id"] = id, ["title"] = "Kontakta äldreboenden utan reservkraft",
            ["to"] = new JsonObject { ["kind"] = "District", ["id"] = "skarholmen" },
            ["due"] = DateTimeOffset.UtcNow.AddSeconds(4).ToString("O"),
        };
        var response = await http.SendJsonAsync("POST", "api/pictures/live/assignments", body.ToJsonString());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var row = anna.Page.Locator($"#assignments li[data-assignment-id=\"{id}\"]");
        await Expect(row).ToHaveAttributeAsync("data-attention", "unacknowledged");
        await Expect(row).ToHaveAttributeAsync("data-attention", "overdue", new() { Timeout = 20_000 });
        await Expect(row.Locator(".tag")).ToHaveTextAsync("Försenat");
        var district = anna.Page.Locator("li[data-district-id=\"skarholmen\"]");
        await Expect(district).ToHaveAttributeAsync("data-task-attention", "1");
        await Expect(district).ToContainTextAsync("uppdrag ej kvitterat/försenat");
        output.WriteLine($"overdue: {await anna.ScreenshotAsync("assignment-overdue")}");
        Assert.Empty(anna.ScriptErrors);
    }
}
