using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

[Collection(Chromium.Collection)]
public sealed class ExerciseTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_exercise_is_shown_under_its_name_marked_as_an_exercise()
    {
        var created = await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-namn","name":"STADSÖ 24","description":"Elavbrott i Söderort"}""");
        created.EnsureSuccessStatusCode();

        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        await page.Page.GotoAsync(new Uri(fixture.Server.BaseAddress, "?user=anna&picture=ex-namn").ToString());
        await page.WaitUntilLiveAsync();
        await Expect(page.Page.Locator(".exercise-banner .exercise-name")).ToHaveTextAsync("ÖVNING – övningen ”STADSÖ 24”, inte det verkliga läget");
        await Expect(page.Page.Locator(".exercise-banner [data-exercise-clock]")).ToHaveTextAsync("inte startad");
        await Expect(page.Page).ToHaveTitleAsync("ÖVNING – STADSÖ 24 – Lägesbild Stockholm");
        Assert.Empty(page.ScriptErrors);
    }

    [Fact]
    public async Task Exercise_control_starts_a_small_scenario_an_inject_reaches_Farstas_inbox_on_a_phone_sara_responds_and_the_after_action_report_shows_the_response_time()
    {
        const string picture = "ex-inkorg";
        (await fixture.Http.SendJsonAsync("POST", "api/pictures", $$"""{"id":"{{picture}}","name":"Inkorgsövning"}""")).EnsureSuccessStatusCode();
        (await fixture.Http.SendJsonAsync("PUT", $"api/pictures/{picture}/scenario",
            "id;tid;leverans;från;till;text;förväntad åtgärd;mål\nI-01;00:00:05;meddelande;SOS Alarm;farsta;\"Strömavbrott i Hökarängen\n3 000 hushåll utan ström sedan 06:40.\";Lägesrapport;Mål 1\n",
            "text/csv")).EnsureSuccessStatusCode();

        await using var anna = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        await anna.Page.GotoAsync(new Uri(fixture.Server.BaseAddress, $"?user=anna&picture={picture}").ToString());
        await anna.WaitUntilLiveAsync();
        await using var sara = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await sara.Page.GotoAsync(new Uri(fixture.Server.BaseAddress, $"?user=sara&picture={picture}").ToString());
        await sara.WaitUntilLiveAsync();
        // Only exercise control sees the scenario and its controls.
        await Expect(sara.Page.Locator("#exercise-control")).ToBeHiddenAsync();
        await Expect(anna.Page.Locator("#exercise-control li[data-inject=I-01] [data-inject-state]")).ToContainTextAsync("väntar");

        await anna.Page.Locator("button[data-exercise-start]").ClickAsync();
        await Expect(sara.Page.Locator(".exercise-banner [data-exercise-clock]")).ToContainTextAsync("scenariotid T+00:00");

        // The inspel arrives in Farsta's inkorg at its scenario time, unread, and is read from there.
        var message = sara.Page.Locator("#inbox li[data-message]");
        await Expect(message).ToContainTextAsync("Strömavbrott i Hökarängen", new() { Timeout = 30_000 });
        await Expect(sara.Page.Locator("#inbox .count")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("1"));
        await message.Locator("button").ClickAsync();
        await Expect(sara.Page.Locator("[data-message-text]")).ToContainTextAsync("3 000 hushåll utan ström");
        output.WriteLine($"sara's inkorg on a phone: {await sara.ScreenshotAsync("inbox-sara-phone")}");
        await sara.Page.Locator("#inbox button", new() { HasText = "Markera som läst" }).ClickAsync();
        await Expect(sara.Page.Locator(".inbox-message")).ToContainTextAsync("Läst av Sara Ek");
        await Expect(anna.Page.Locator("#exercise-control li[data-inject=I-01] [data-inject-state]")).ToContainTextAsync("levererat");

        // She answers with an ordinary lägesrapport, reached from the message.
        await sara.Page.Locator("#inbox a.respond-link", new() { HasText = "Lägesrapport" }).ClickAsync();
        await sara.Page.Locator("#reports button[data-command=SubmitSituationReport]").ClickAsync();
        var form = sara.Page.Locator("#reports form");
        await form.Locator("input[name=what]").FillAsync("Strömavbrott i Hökarängen");
        await form.Locator("input[name=where]").FillAsync("Hökarängen");
        await form.Locator("input[name=when]").FillAsync("sedan 06:40");
        await form.Locator("textarea[name=now]").FillAsync("3 000 hushåll utan ström");
        await form.Locator("textarea[name=actions]").FillAsync("Lokal krisledning aktiverad");
        await form.Locator("textarea[name=forecast]").FillAsync("Ström åter i kväll");
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(anna.Page.Locator("#feed")).ToContainTextAsync("Lägesrapport Strömavbrott i Hökarängen", new() { Timeout = 15_000 });

        // The answer is an ordinary lägesrapport of one of Farsta's desks, by Sara, after the message she read.
        var log = await fixture.Http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/log?limit=1000");
        var entries = log.GetProperty("entries").EnumerateArray().ToArray();
        var read = entries.Single(e => e.GetProperty("type").GetString() == "MessageRead");
        var answer = entries.Single(e => e.GetProperty("entity").GetProperty("kind").GetString() == "SituationReport");
        Assert.Equal("Sara Ek", answer.GetProperty("actor").GetProperty("name").GetString());
        Assert.True(answer.GetProperty("seq").GetInt64() > read.GetProperty("seq").GetInt64());

        // Exercise control ends the exercise; the after-action report is final and shows the time from delivery to her report.
        await anna.Page.Locator("#exercise-control button", new() { HasText = "Avsluta övningen" }).ClickAsync();
        await Expect(anna.Page.Locator(".exercise-banner [data-exercise-clock]")).ToContainTextAsync("avslutad");
        // The participants have no evaluation; exercise control has.
        await Expect(sara.Page.Locator("#evaluation")).ToBeHiddenAsync();
        // Exercise control rates the objective in the evaluation panel (its choices come from the report).
        await Expect(anna.Page.Locator("#evaluation-objectives option[value='Mål 1']")).ToHaveCountAsync(1);
        var rate = anna.Page.Locator("#evaluation form", new() { Has = anna.Page.Locator("select[name=rating]") });
        await rate.Locator("input[name=objective]").FillAsync("Mål 1");
        await rate.Locator("select[name=rating]").SelectOptionAsync("SomeChallenges");
        await rate.Locator("textarea[name=comment]").FillAsync("Rapporten kom, men utan prognos för Farsta strand");
        await rate.Locator("button[type=submit]").ClickAsync();
        await Expect(anna.Page.Locator("#evaluation [data-evaluation-status]")).ToHaveTextAsync("Klart.");
        await anna.Page.Locator("#evaluation button[data-after-action-toggle]").ClickAsync();
        await Expect(anna.Page.Locator("#after-action [data-objective='Mål 1'] h5")).ToHaveTextAsync("Mål 1: Genomfört med vissa problem");
        var row = anna.Page.Locator("#after-action tr[data-inject-response=I-01]");
        await Expect(row.Locator("[data-response-time]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ min \d\d s \(scenariotid \d+ min \d\d s\)$"));
        await Expect(anna.Page.Locator("#after-action [data-preliminary]")).ToHaveCountAsync(0);
        var measured = (await fixture.Http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/exports/after-action.json"))
            .GetProperty("report").GetProperty("injects")[0];
        Assert.Equal(answer.GetProperty("seq").GetInt64(), measured.GetProperty("responseSeq").GetInt64());
        var took = TimeSpan.Parse(measured.GetProperty("timeToResponse").GetString()!);
        var shown = await row.Locator("[data-response-time]").TextContentAsync();
        output.WriteLine($"response time measured {took}, shown as '{shown}'");
        Assert.StartsWith($"{(int)took.TotalMinutes} min {took.Seconds:00} s", shown);
        Assert.Contains("Sara Ek", await row.TextContentAsync());

        // Printed by Chromium: the report alone, ÖVNING on every page, the measured time in it.
        var pdf = await anna.Page.PdfAsync(new() { Format = "A4", PrintBackground = true });
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var pages = document.GetPages().Select(p => string.Concat(p.Text.Where(c => !char.IsWhiteSpace(c)))).ToArray();
        Assert.All(pages, text => Assert.Contains("ÖVNING", text));
        Assert.Contains($"{(int)took.TotalMinutes}min{took.Seconds:00}s", string.Concat(pages));
        Assert.Contains("Utvärderingsrapport", string.Concat(pages));
        Assert.Empty(anna.ScriptErrors);
        Assert.Empty(sara.ScriptErrors);
    }
}
