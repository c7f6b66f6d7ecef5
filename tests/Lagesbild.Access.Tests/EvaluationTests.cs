using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// An exercise's evaluation (issue 17 item 4): exercise control (central krisledning) and the evaluators (utvarderare)
/// note observations, rate objectives and record improvement items; nobody else may, the live picture has none, a
/// replay takes no change; the participants never read what was noted; the after-action report is theirs alone and
/// its PDF carries ÖVNING, the measured response time and the ratings.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class EvaluationTests(AccessServer fixture, ITestOutputHelper output)
{
    private const string Scenario = """
        id;tid;leverans;från;till;text;förväntad åtgärd;mål
        I-01;00:00:05;meddelande;SOS Alarm;farsta;Strömavbrott i Hökarängen;Lägesrapport till central krisledning;Mål 1
        I-02;05:00:00;meddelande;Polisen;farsta;Avspärrning;Aktivera lokal krisledning;Mål 2
        """;

    private static readonly (string Command, string Path, string Body)[] Commands =
    [
        ("NoteObservation", "evaluation/observations", """{"text":"HEMLIG-OBSERVATION Sara ringde SOS först","inject":"I-01","objective":"Mål 1"}"""),
        ("RateObjective", "evaluation/ratings", """{"objective":"Mål 1","rating":"SomeChallenges","comment":"HEMLIG-KOMMENTAR rapporten dröjde"}"""),
        ("RecordImprovement", "evaluation/improvements", """{"what":"HEMLIG-ATGARD checklista för rapport","owner":"Farsta stadsdelsförvaltning"}"""),
    ];

    private static readonly string[] Users = ["anna", "per", "sara", "omar", "lena", "polis", "allmanhet", "eva", "utvarderare"];

    [Fact]
    public async Task Only_exercise_control_and_evaluators_evaluate_and_the_live_picture_and_a_replay_take_no_evaluation()
    {
        var picture = await CreateStartedAsync("ex-utv-matris");
        var failures = new List<string>();
        foreach (var (name, path, body) in Commands)
        {
            foreach (var user in Users)
            {
                using var http = fixture.Server.CreateClient(user);
                var before = await fixture.Central.GetStringAsync($"api/pictures/{picture}/digest");
                using var answer = await http.SendJsonAsync("POST", $"api/pictures/{picture}/{path}", body);
                var after = await fixture.Central.GetStringAsync($"api/pictures/{picture}/digest");
                var allowed = user is "anna" or "utvarderare";
                output.WriteLine($"{user,-12} {name,-18} → {(int)answer.StatusCode} {(answer.IsSuccessStatusCode ? "" : await answer.Content.ReadAsStringAsync())}");
                if (allowed != answer.IsSuccessStatusCode)
                    failures.Add($"{user}: {name} answered {(int)answer.StatusCode}");
                if (!allowed && (answer.StatusCode != HttpStatusCode.Forbidden || before != after))
                    failures.Add($"{user}: {name} was not a 403 that changed nothing ({(int)answer.StatusCode})");
            }
        }
        // Over the hub the same: the evaluator notes, a participant is refused.
        foreach (var user in new[] { "utvarderare", "sara" })
        {
            await using var hub = new LiveClient(fixture.Server.BaseAddress, picture, reconnect: false, user: user);
            await hub.ConnectAsync();
            Answer answer;
            try
            {
                answer = Answer.Of(await hub.SendAsync("utvardering", JsonDocument.Parse("""{"type":"NoteObservation","text":"Över hubben"}""").RootElement));
            }
            catch (Microsoft.AspNetCore.SignalR.HubException refusal)
            {
                answer = Answer.Of(refusal);
            }
            output.WriteLine($"{user,-12} NoteObservation over the hub → {answer.Status} {answer.Detail}");
            if (answer.Status != (user == "sara" ? 403 : 200))
                failures.Add($"{user}: NoteObservation over the hub answered {answer.Status}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));

        using var evaluator = fixture.Server.CreateClient("utvarderare");
        foreach (var (name, path, body) in Commands)
        {
            var live = await fixture.Central.GetStringAsync("api/pictures/live/digest");
            using var onLive = await evaluator.SendJsonAsync("POST", $"api/pictures/live/{path}", body);
            Assert.Equal(HttpStatusCode.Conflict, onLive.StatusCode);
            Assert.Contains("levande lägesbilden är ingen övning", (await onLive.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
            Assert.Equal(live, await fixture.Central.GetStringAsync("api/pictures/live/digest"));
            using var onReplay = await evaluator.SendJsonAsync("POST", $"api/pictures/{picture}/replay/{path}", body);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, onReplay.StatusCode);
            output.WriteLine($"{name}: live {(int)onLive.StatusCode}, replay {(int)onReplay.StatusCode}");
        }

        // An inspel or objective the scenario does not have is named at its field.
        using var unknown = await evaluator.SendJsonAsync("POST", $"api/pictures/{picture}/evaluation/observations", """{"text":"x","inject":"X-99"}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("X-99", await unknown.Content.ReadAsStringAsync());
        using var rating = await evaluator.SendJsonAsync("POST", $"api/pictures/{picture}/evaluation/ratings", """{"objective":"Mål 9","rating":"SomeChallenges"}""");
        Assert.Equal(HttpStatusCode.BadRequest, rating.StatusCode);
    }

    [Fact]
    public async Task The_participants_never_read_an_evaluation_and_the_after_action_report_is_exercise_controls_and_the_evaluators()
    {
        var picture = await CreateStartedAsync("ex-utv-lasa");
        using var evaluator = fixture.Server.CreateClient("utvarderare");
        foreach (var (_, path, body) in Commands)
            (await evaluator.SendJsonAsync("POST", $"api/pictures/{picture}/{path}", body)).EnsureSuccessStatusCode();

        foreach (var user in Users.Where(u => u != "allmanhet"))
        {
            using var http = fixture.Server.CreateClient(user);
            var log = await http.GetStringAsync($"api/pictures/{picture}/log?entity=Evaluation/utvardering&limit=100");
            var snapshot = await http.GetStringAsync($"api/pictures/{picture}/snapshot");
            var seq = JsonDocument.Parse(snapshot).RootElement.GetProperty("seq").GetInt64();
            var replay = await http.GetStringAsync($"api/pictures/{picture}/replay/entries?afterSeq={seq - 10}&throughSeq={seq}");
            using var report = await http.GetAsync($"api/pictures/{picture}/exports/after-action.json");
            var reads = user is "anna" or "utvarderare";
            output.WriteLine($"{user,-12} log reads the texts: {log.Contains("HEMLIG", StringComparison.Ordinal)}, report {(int)report.StatusCode}");
            Assert.Equal(reads, log.Contains("HEMLIG-OBSERVATION", StringComparison.Ordinal));
            Assert.Equal(reads, replay.Contains("HEMLIG-KOMMENTAR", StringComparison.Ordinal));
            Assert.DoesNotContain("HEMLIG", snapshot, StringComparison.Ordinal);
            Assert.Equal(reads ? HttpStatusCode.OK : HttpStatusCode.Forbidden, report.StatusCode);
            // The entries are there for everyone, in order; only what they say is left out.
            Assert.Equal(3, JsonDocument.Parse(log).RootElement.GetProperty("entries").GetArrayLength());
        }
        using var live = await fixture.Central.GetAsync("api/pictures/live/exports/after-action.pdf");
        Assert.Equal(HttpStatusCode.Conflict, live.StatusCode);
    }

    [Fact]
    public async Task The_after_action_pdf_says_OVNING_on_every_page_with_the_measured_response_time_and_the_ratings()
    {
        var picture = await CreateStartedAsync("ex-utv-pdf");
        using var sara = fixture.Server.CreateClient("sara");
        using (var sent = await sara.PostAsJsonAsync($"api/pictures/{picture}/reports/district-farsta", new
        {
            contents = new { @event = new { what = "Strömavbrott i Hökarängen", where = "Hökarängen", when = "06:40" }, consequences = new { now = "3 000 hushåll" }, actions = "Storforsplan öppnad", forecast = "Ström i kväll" },
        }))
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
        using var evaluator = fixture.Server.CreateClient("utvarderare");
        foreach (var (_, path, body) in Commands)
            (await evaluator.SendJsonAsync("POST", $"api/pictures/{picture}/{path}", body)).EnsureSuccessStatusCode();

        // While it runs the report is preliminary; once stopped, final.
        var running = await evaluator.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/exports/after-action.json");
        Assert.True(running.GetProperty("report").GetProperty("preliminary").GetBoolean());
        (await fixture.Central.SendJsonAsync("POST", $"api/pictures/{picture}/exercise/stop", "{}")).EnsureSuccessStatusCode();
        var report = (await evaluator.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/exports/after-action.json")).GetProperty("report");
        Assert.False(report.GetProperty("preliminary").GetBoolean());
        var row = report.GetProperty("injects")[0];
        var took = TimeSpan.Parse(row.GetProperty("timeToResponse").GetString()!);
        Assert.Equal("Sara Ek", row.GetProperty("respondedBy").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("injects")[1].GetProperty("timeToResponse").ValueKind);

        using var response = await evaluator.GetAsync($"api/pictures/{picture}/exports/after-action.pdf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pages = PdfText.Pages(await response.Content.ReadAsByteArrayAsync());
        var all = string.Join("\n", pages);
        output.WriteLine($"response time {took}; {pages.Length} page(s):\n{all}");
        Assert.All(pages, page => Assert.Contains("ÖVNING", page));
        Assert.Contains("Utvärderingsrapport", all);
        Assert.DoesNotContain("preliminär", all);
        Assert.Contains($"Svarstid: {(int)took.TotalMinutes} min {took.Seconds:00} s", all);
        Assert.Contains("Mål 1: Genomfört med vissa problem", all);
        Assert.Contains("Mål 2: inte bedömt", all);
        Assert.Contains("HEMLIG-ATGARD checklista för rapport – ägare: Farsta stadsdelsförvaltning", all);
        Assert.Contains("HEMLIG-OBSERVATION", all);
    }

    private async Task<string> CreateStartedAsync(string prefix)
    {
        var picture = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 7)];
        (await fixture.Central.SendJsonAsync("POST", "api/pictures", $$"""{"id":"{{picture}}","name":"Utvärderingsövning"}""")).EnsureSuccessStatusCode();
        (await fixture.Central.SendJsonAsync("PUT", $"api/pictures/{picture}/scenario", Scenario, "text/csv")).EnsureSuccessStatusCode();
        (await fixture.Central.SendJsonAsync("POST", $"api/pictures/{picture}/exercise/start", """{"speed":10}""")).EnsureSuccessStatusCode();
        // I-01 is delivered half a second in; the next (I-02) not for half an hour, so no refusal below is judged against a delivery.
        await DeliveredAsync(picture, "I-01");
        return picture;
    }

    private async Task DeliveredAsync(string picture, string inject)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var log = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/log?entity=Exercise/ovning&limit=1000");
            if (log.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("type").GetString() == "InjectDelivered" && e.GetProperty("change").GetProperty("inject").GetString() == inject))
                return;
            Assert.True(DateTime.UtcNow < until, $"{inject} was not delivered");
            await Task.Delay(100);
        }
    }
}
