using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>A server of its own, so no other test's begäran to Farsta raises or clears the flag watched here.</summary>
public sealed class OverdueServer() : RunningServer();

/// <summary>A late lägesrapport flagged on the district's area and in the panel, cleared by the answer; what changed since an orientation; default task lists.</summary>
[Collection(Chromium.Collection)]
public sealed class OverdueReportTests(Chromium chromium, OverdueServer fixture, ITestOutputHelper output) : IClassFixture<OverdueServer>
{
    [Fact]
    public async Task A_begaran_past_its_deadline_flags_Farsta_on_saras_phone_and_her_answer_clears_the_flag()
    {
        await using var sara = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await sara.WaitUntilLiveAsync();
        Assert.False(await AreaFlaggedAsync(sara, "farsta"));

        // Central asks Farsta for a report due in a few seconds (the page is told nothing when the deadline passes).
        var id = $"r-sen-{Guid.NewGuid():N}"[..20];
        using var anna = fixture.Server.CreateClient("anna");
        var asked = await anna.SendJsonAsync("POST", "api/pictures/live/report-requests", JsonSerializer.Serialize(new
        {
            id,
            title = "Läget i Farsta nu",
            recipients = new[] { "district-farsta" },
            deadline = DateTimeOffset.UtcNow.AddSeconds(4),
        }));
        Assert.True(asked.IsSuccessStatusCode, await asked.Content.ReadAsStringAsync());

        // Once the deadline has passed, Farsta's area carries the flag, and the panel says why.
        await sara.WaitForAsync("() => window.lagesbild.areaReportOverdue('farsta')", TimeSpan.FromSeconds(30));
        var late = sara.Page.Locator("#attention li[data-overdue-reporter=district-farsta]");
        await Expect(late.Locator($"[data-late=request][data-request-id={id}]")).ToContainTextAsync("Läget i Farsta nu");
        output.WriteLine($"sara's phone with the flag: {await sara.ScreenshotAsync("overdue-sara-phone")}");

        // Sara answers the begäran from her phone; the flag clears on the map and in the panel.
        var row = sara.Page.Locator($"#reports li[data-request-id={id}]");
        await Expect(row).ToHaveAttributeAsync("data-status", "Overdue");
        await row.Locator("button[data-answer]").ClickAsync();
        var answer = sara.Page.Locator("#reports form");
        await answer.Locator("input[name=what]").FillAsync("Strömavbrott i Hökarängen");
        await answer.Locator("input[name=where]").FillAsync("Hökarängen");
        await answer.Locator("input[name=when]").FillAsync("sedan 06:40");
        await answer.Locator("textarea[name=now]").FillAsync("3 000 hushåll utan ström");
        await answer.Locator("textarea[name=actions]").FillAsync("Trygghetspunkten Storforsplan öppnad");
        await answer.Locator("textarea[name=forecast]").FillAsync("Ström åter i kväll");
        await answer.Locator("button[type=submit]").ClickAsync();

        await sara.WaitForAsync("() => !window.lagesbild.areaReportOverdue('farsta')");
        await Expect(late).ToHaveCountAsync(0);
        Assert.Empty(sara.ScriptErrors);
    }

    [Fact]
    public async Task A_sector_late_with_its_report_is_flagged_over_the_map_and_in_the_sectors_panel_until_it_answers()
    {
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await anna.WaitUntilLiveAsync();
        var onMap = anna.Page.Locator(".map-wrap .map-late-reports [data-late-reporter=sector-energiforsorjning]");
        var inPanel = anna.Page.Locator("#sectors li[data-sector-id=energiforsorjning] [data-report-late]");
        await Expect(onMap).ToHaveCountAsync(0);

        // Central asks the energy sector for a report due in a few seconds; a sector has no area, so the flag stands over the map.
        var id = $"r-sektor-{Guid.NewGuid():N}"[..22];
        using var http = fixture.Server.CreateClient("anna");
        var asked = await http.SendJsonAsync("POST", "api/pictures/live/report-requests", JsonSerializer.Serialize(new
        {
            id,
            title = "Läget för elförsörjningen",
            recipients = new[] { "sector-energiforsorjning" },
            deadline = DateTimeOffset.UtcNow.AddSeconds(4),
        }));
        Assert.True(asked.IsSuccessStatusCode, await asked.Content.ReadAsStringAsync());
        await Expect(onMap).ToContainTextAsync("energiförsörjning", new() { Timeout = 30_000, IgnoreCase = true });
        await Expect(inPanel).ToContainTextAsync("Lägesrapport försenad");
        output.WriteLine($"anna's map with the late sector: {await anna.ScreenshotAsync("overdue-sector-map")}");

        // The flag opens the sector; Lena answers for her sector and the flag clears in both places.
        await onMap.ClickAsync();
        await Expect(anna.Page.Locator("#details-heading")).ToContainTextAsync("energiförsörjning", new() { IgnoreCase = true });
        using var lena = fixture.Server.CreateClient("lena");
        var answered = await lena.SendJsonAsync("POST", "api/pictures/live/reports/sector-energiforsorjning", JsonSerializer.Serialize(new
        {
            contents = new
            {
                @event = new { what = "Elavbrott i Söderort", where = "Farsta", when = "06:40", source = "Ellevio" },
                consequences = new { now = "3 000 hushåll utan ström" },
                actions = "Reservkraft till Storforsplan",
                forecast = "Ström åter i kväll",
            },
            request = id,
        }));
        Assert.True(answered.IsSuccessStatusCode, await answered.Content.ReadAsStringAsync());
        await Expect(onMap).ToHaveCountAsync(0);
        await Expect(inPanel).ToHaveCountAsync(0);
        Assert.Empty(anna.ScriptErrors);
    }

    [Fact]
    public async Task Centrals_samlad_lagesbild_shows_what_changed_since_a_chosen_time_grouped_by_district_and_sector()
    {
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await anna.WaitUntilLiveAsync();
        // The page's clock is Stockholm's, whatever this machine's is.
        var before = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(-1), TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        using var http = fixture.Server.CreateClient("anna");
        await http.EnsureActivatedAsync("farsta-storforsplan");
        await http.ReportWaterAsync("farsta-storforsplan", 400);
        var sector = await http.SendJsonAsync("PUT", "api/pictures/live/sectors/energiforsorjning/status",
            """{"status":"Disturbed","affectedDistricts":["farsta"],"needs":"Diesel","prognosis":null}""");
        Assert.True(sector.IsSuccessStatusCode, await sector.Content.ReadAsStringAsync());

        await anna.Page.Locator("button[data-overview-toggle]").ClickAsync();
        var since = anna.Page.Locator("#overview section.since");
        await since.Locator("input[name=since]").FillAsync(before.ToString("yyyy-MM-ddTHH:mm"));
        await since.Locator("button[type=submit]").ClickAsync();

        // The point's change under Farsta, the sector's under its own name, each linked to its loggbok entry.
        await Expect(since.Locator("[data-since-group=district-farsta] li[data-change-seq]").Filter(new() { HasText = "SafetyPoint/farsta-storforsplan" }).First).ToBeVisibleAsync();
        await Expect(since.Locator("[data-since-group=sector-energiforsorjning] li[data-change-seq] a.source").First).ToHaveAttributeAsync("data-source", new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await Expect(since.Locator("h4")).ToContainTextAsync("vald tid");
        output.WriteLine($"anna's samlad lägesbild since a chosen time: {await anna.ScreenshotAsync("overview-since")}");
        Assert.Empty(anna.ScriptErrors);
    }

    [Fact]
    public async Task Central_gives_a_default_task_list_from_the_page_and_a_district_finds_the_button_greyed_out()
    {
        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, user: "anna");
        await using var sara = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await anna.WaitUntilLiveAsync();
        await sara.WaitUntilLiveAsync();
        await Expect(sara.Page.Locator("button[data-command=IssueTaskList]")).ToBeDisabledAsync();
        await Expect(sara.Page.Locator("button[data-command=IssueTaskList]")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("central krisledning"));

        await anna.Page.Locator("button[data-command=IssueTaskList]").ClickAsync();
        var form = anna.Page.Locator("#assignments form");
        await form.Locator("select[name=eventKind]").SelectOptionAsync("langvarigt-elavbrott");
        await form.Locator("input[name=districts][value=farsta]").CheckAsync();
        await form.Locator("button[type=submit]").ClickAsync();

        // Farsta's uppdrag from the list reach Sara's phone, not yet acknowledged.
        var tasks = sara.Page.Locator("#assignments li[data-assignment-id^=lista-]");
        await Expect(tasks).ToHaveCountAsync(2);
        await Expect(tasks.Filter(new() { HasText = "Kontrollera era trygghetspunkter" })).ToHaveAttributeAsync("data-attention", "unacknowledged");
        Assert.Empty(anna.ScriptErrors);
        Assert.Empty(sara.ScriptErrors);
    }

    private static Task<bool> AreaFlaggedAsync(MapPage page, string district) =>
        page.Page.EvaluateAsync<bool>($"() => window.lagesbild.areaReportOverdue('{district}')");
}
