using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
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

    /// <summary>The symbol's place on anna's map, read from the page, and the Swedish label it is read out with.</summary>
    private sealed record OnMap(double Lon, double Lat, string Label);

    private static async Task<JsonElement> StateAsync(HttpClient http, string kind, string id)
    {
        var snapshot = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
        return snapshot.GetProperty("entities").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == kind && r.GetProperty("id").GetString() == id).GetProperty("state").Clone();
    }

    private static async Task SendAsync(HttpClient http, string path, string body)
    {
        using var answer = await http.SendJsonAsync("POST", $"api/pictures/live/{path}", body);
        Assert.True(answer.IsSuccessStatusCode, $"{path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task A_generators_symbol_stands_at_its_depot_moves_to_the_point_when_delivered_and_back_when_returned()
    {
        const string generator = "aggregat-3";
        const string point = "farsta-emma-hokarangen";
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await anna.WaitUntilLiveAsync();
        using var sara = fixture.Server.CreateClient("sara");
        var state = await StateAsync(fixture.Http, "Resource", generator);
        var (depotLon, depotLat) = (state.GetProperty("depot").GetProperty("position").GetProperty("lon").GetDouble(), state.GetProperty("depot").GetProperty("position").GetProperty("lat").GetDouble());
        var at = (await StateAsync(fixture.Http, "SafetyPoint", point)).GetProperty("position");
        var (pointLon, pointLat) = (at.GetProperty("lon").GetDouble(), at.GetProperty("lat").GetDouble());

        async Task<OnMap> WaitAtAsync(double lon, double lat, string said)
        {
            await anna.WaitForAsync($"() => {{ const r = window.lagesbild.resourceOnMap('{generator}'); return r !== null && Math.abs(r.lon - {lon.ToString(CultureInfo.InvariantCulture)}) < 1e-5 && Math.abs(r.lat - {lat.ToString(CultureInfo.InvariantCulture)}) < 1e-5 && r.label.includes('{said}'); }}");
            var drawn = await anna.Page.EvaluateAsync<JsonElement>($"() => window.lagesbild.resourceOnMap('{generator}')");
            return new OnMap(drawn.GetProperty("lon").GetDouble(), drawn.GetProperty("lat").GetDouble(), drawn.GetProperty("label").GetString()!);
        }

        var atDepot = await WaitAtAsync(depotLon, depotLat, "i förrådet");
        output.WriteLine($"at the depot: {atDepot}");
        Assert.StartsWith("Reservkraftverk 3", atDepot.Label);
        await SendAsync(sara, "resource-requests", JsonSerializer.Serialize(new
        {
            id = "rb-kartan", safetyPoint = point, resourceKind = "Generator", quantity = 1, needBy = DateTimeOffset.UtcNow.AddHours(3), reason = "Reservkraften räcker inte natten",
        }));
        await SendAsync(fixture.Http, "resource-requests/rb-kartan/commit", $$"""{"resources":["{{generator}}"]}""");
        // Committed, it is on its way: still drawn where it stands, at the depot.
        output.WriteLine($"committed: {await WaitAtAsync(depotLon, depotLat, "på väg till")}");

        var delivered = Stopwatch.StartNew();
        await SendAsync(sara, "resource-requests/rb-kartan/deliver", "{}");
        var atPoint = await WaitAtAsync(pointLon, pointLat, "levererad till");
        output.WriteLine($"delivered: {atPoint}; the symbol moved {delivered.ElapsedMilliseconds} ms after the delivery was sent");
        await Expect(anna.Page.Locator($"#map-resources li[data-map-resource='{generator}']")).ToContainTextAsync("levererad till Emma");
        output.WriteLine($"anna's map, generator at the point: {await anna.ScreenshotAsync("resource-on-map")}");

        await SendAsync(sara, "resource-requests/rb-kartan/release", "{}");
        await SendAsync(fixture.Http, "resource-requests/rb-kartan/return", "{}");
        await WaitAtAsync(depotLon, depotLat, "i förrådet");
        Assert.Empty(anna.ScriptErrors);
    }

    [Fact]
    public async Task Omar_withdraws_his_begaran_from_its_details_and_the_button_is_greyed_out_for_sara()
    {
        await using var omar = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "omar");
        await using var sara = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "sara");
        await omar.WaitUntilLiveAsync();
        await sara.WaitUntilLiveAsync();
        using var omarHttp = fixture.Server.CreateClient("omar");
        await SendAsync(omarHttp, "resource-requests", JsonSerializer.Serialize(new
        {
            id = "rb-aterkallas", safetyPoint = "sodermalm-tellus", resourceKind = "WaterTank", quantity = 1, needBy = DateTimeOffset.UtcNow.AddHours(3), reason = "Vattnet borta",
        }));

        // Sara sees Södermalm's begäran but may not withdraw it: the server's permissions say why.
        await sara.Page.Locator("#resource-requests li[data-resource-request='rb-aterkallas'] button").ClickAsync();
        var saraButton = sara.Page.Locator("#details button[data-command=WithdrawResourceRequest]");
        await Expect(saraButton).ToBeDisabledAsync();
        await Expect(sara.Page.Locator("#details")).ToContainTextAsync("inte för sodermalm");

        await omar.Page.Locator("#resource-requests li[data-resource-request='rb-aterkallas'] button").ClickAsync();
        await omar.Page.Locator("#details button[data-command=WithdrawResourceRequest]").ClickAsync();
        var form = omar.Page.Locator("#details form[data-command=WithdrawResourceRequest]");
        await form.Locator("textarea[name=reason]").FillAsync("Vattnet är tillbaka");
        await form.Locator("button[type=submit]").ClickAsync();

        await Expect(omar.Page.Locator("#details [data-request-status]")).ToHaveAttributeAsync("data-request-status", "Withdrawn");
        await Expect(omar.Page.Locator("#details button[data-command=WithdrawResourceRequest]")).ToHaveCountAsync(0);
        await Expect(sara.Page.Locator("#resource-requests li[data-resource-request='rb-aterkallas']")).ToHaveAttributeAsync("data-status", "Withdrawn");
        Assert.Empty(omar.ScriptErrors);
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
