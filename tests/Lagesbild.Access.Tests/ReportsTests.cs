using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// Lägesrapporter through the server: central asks, the district reads and answers, the asker sees
/// it in the samlad lägesbild; bad input and answers to someone else's begäran are 4xx that say
/// why and change nothing; a corrected report keeps both versions readable, to partners too.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class ReportsTests(AccessServer fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Central_asks_Farsta_Farsta_reads_and_answers_and_the_samlad_lagesbild_shows_the_answer_with_its_source()
    {
        var ask = ValidCommands.RequestReport("district-farsta", 1);
        var asked = await ask.SendAsync(fixture.Central);
        Assert.True(asked.Accepted, $"{asked.Status} {asked.Detail}");
        await fixture.WaitForSeqAsync(asked.Seq!.Value);
        await using var sara = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: "sara");
        await sara.ConnectAsync();

        // Sara reads the begäran over the hub and answers it over HTTP.
        var read = await new CommandRequest("ReadReportRequest", ask.Target, "POST", $"report-requests/{ask.Target}/read", new()).SendAsync(sara);
        Assert.True(read.Accepted, $"{read.Status} {read.Detail}");
        var report = ValidCommands.SubmitReport("district-farsta", 7);
        report.Body["request"] = ask.Target;
        using var saraHttp = fixture.Server.CreateClient("sara");
        var answered = await report.SendAsync(saraHttp);
        Assert.True(answered.Accepted, $"{answered.Status} {answered.Detail}");
        // The answer is recorded on the begäran by Lagesbild, right after the report.
        await fixture.WaitForSeqAsync(answered.Seq!.Value + 1);

        var overview = await fixture.Central.GetFromJsonAsync<JsonElement>("api/pictures/live/overview");
        var request = overview.GetProperty("requests").EnumerateArray().Single(r => r.GetProperty("id").GetString() == ask.Target);
        var farsta = overview.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("reporter").GetString() == "district-farsta");
        output.WriteLine($"request: {request}\nfarsta: {farsta}");
        Assert.Equal(1.0, request.GetProperty("answerRate").GetDouble());
        Assert.Equal("Answered", request.GetProperty("recipients").GetProperty("district-farsta").GetString());
        Assert.Equal("Strömavbrott 7", farsta.GetProperty("headline").GetString());
        Assert.Equal("Sara Ek", farsta.GetProperty("sentBy").GetString());
        Assert.Equal(answered.Seq, farsta.GetProperty("source").GetInt64());
        // The source is a loggbok entry that holds the whole report.
        var log = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/log?entity=SituationReport/district-farsta&limit=1000");
        var entry = log.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("seq").GetInt64() == answered.Seq);
        Assert.Equal("Ström åter i kväll", entry.GetProperty("change").GetProperty("contents").GetProperty("forecast").GetString());
        Assert.Equal(ask.Target, entry.GetProperty("change").GetProperty("request").GetString());
    }

    [Fact]
    public async Task An_answer_to_a_begaran_not_addressed_to_you_is_refused_and_nothing_changes()
    {
        var ask = ValidCommands.RequestReport("district-sodermalm", 2);
        var asked = await ask.SendAsync(fixture.Central);
        Assert.True(asked.Accepted, $"{asked.Status} {asked.Detail}");
        await fixture.WaitForSeqAsync(asked.Seq!.Value);
        var before = await fixture.DigestAsync();
        var report = ValidCommands.SubmitReport("district-farsta", 8);
        report.Body["request"] = ask.Target;
        using var sara = fixture.Server.CreateClient("sara");

        var answer = await report.SendAsync(sara);

        output.WriteLine($"{answer.Status}: {answer.Detail}");
        Assert.Equal(403, answer.Status);
        Assert.Contains("inte ställd till district-farsta", answer.Detail);
        Assert.Equal(before, await fixture.DigestAsync());
    }

    [Fact]
    public async Task A_deadline_in_the_past_a_missing_part_and_a_text_over_its_limit_are_refused_in_swedish_and_nothing_changes()
    {
        var before = await fixture.DigestAsync();
        using var sara = fixture.Server.CreateClient("sara");
        var late = ValidCommands.RequestReport("district-farsta", 3, DateTimeOffset.UtcNow.AddMinutes(-5));
        var missing = ValidCommands.SubmitReport("district-farsta", 9);
        missing.Body["contents"]!["forecast"] = null;
        var tooLong = ValidCommands.SubmitReport("district-farsta", 10);
        tooLong.Body["contents"]!["actions"] = new string('x', 4001);

        var answers = new[]
        {
            ("past deadline", await late.SendAsync(fixture.Central), "deadline", "Måste ligga i framtiden."),
            ("missing forecast", await missing.SendAsync(sara), "contents.forecast", "Måste anges."),
            ("actions too long", await tooLong.SendAsync(sara), "contents.actions", "Får vara högst 4000 tecken (är 4001)."),
        };

        foreach (var (what, answer, _, _) in answers)
            output.WriteLine($"{what}: {answer.Status} {answer.Detail}");
        Assert.All(answers, a => Assert.Equal(400, a.Item2.Status));
        Assert.Equal(before, await fixture.DigestAsync());
        // The field and its reason, as the page shows them beside the field.
        using var response = await sara.PostAsJsonAsync("api/pictures/live/reports/district-farsta", missing.Body);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Måste anges.", problem.GetProperty("errors").GetProperty("contents.forecast")[0].GetString());
    }

    [Fact]
    public async Task A_corrected_report_is_a_new_version_that_says_why_and_both_versions_stay_readable_to_partners()
    {
        using var omar = fixture.Server.CreateClient("omar");
        var first = await ValidCommands.SubmitReport("district-sodermalm", 11).SendAsync(omar);
        Assert.True(first.Accepted, $"{first.Status} {first.Detail}");
        await fixture.WaitForSeqAsync(first.Seq!.Value);
        var number = (await fixture.StateAsync("SituationReport", "district-sodermalm")).GetProperty("number").GetInt32();
        var correction = new CommandRequest("CorrectSituationReport", "district-sodermalm", "POST", "reports/district-sodermalm/corrections", new()
        {
            ["number"] = number, ["why"] = "Fel adress i händelsen", ["contents"] = ValidCommands.ReportContents(12),
            ["reason"] = "INTERNT-rattelse", ["internal"] = true,
        });

        var corrected = await correction.SendAsync(omar);

        Assert.True(corrected.Accepted, $"{corrected.Status} {corrected.Detail}");
        await fixture.WaitForSeqAsync(corrected.Seq!.Value);
        var state = await fixture.StateAsync("SituationReport", "district-sodermalm");
        Assert.Equal((number, 2, "Fel adress i händelsen"), (state.GetProperty("number").GetInt32(), state.GetProperty("version").GetInt32(), state.GetProperty("correctionWhy").GetString()));
        using var polis = fixture.Server.CreateClient("polis");
        var text = await polis.GetStringAsync("api/pictures/live/log?entity=SituationReport/district-sodermalm&limit=1000");
        var versions = JsonDocument.Parse(text).RootElement.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("seq").GetInt64() is var seq && (seq == first.Seq || seq == corrected.Seq))
            .Select(e => e.GetProperty("change").GetProperty("contents").GetProperty("event").GetProperty("what").GetString()!)
            .ToArray();
        Assert.Equal(["Strömavbrott 11", "Strömavbrott 12"], versions);
        Assert.DoesNotContain("INTERNT-rattelse", text);
    }

    [Fact]
    public async Task A_begaran_closer_to_its_deadline_than_the_reminder_lead_reminds_those_who_have_not_answered_at_once()
    {
        var ask = ValidCommands.RequestReport("sector-energiforsorjning", 4, DateTimeOffset.UtcNow.AddMinutes(10));
        var asked = await ask.SendAsync(fixture.Central);
        Assert.True(asked.Accepted, $"{asked.Status} {asked.Detail}");

        JsonElement? reminder = null;
        for (var attempt = 0; attempt < 200 && reminder is null; attempt++)
        {
            var log = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/log?entity=ReportRequest/{ask.Target}");
            reminder = log.GetProperty("entries").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "ReportRequestReminded").Select(e => (JsonElement?)e.Clone()).FirstOrDefault();
            if (reminder is null)
                await Task.Delay(50);
        }

        Assert.NotNull(reminder);
        output.WriteLine(reminder.Value.ToString());
        Assert.Equal("system", reminder.Value.GetProperty("actor").GetProperty("role").GetString());
        Assert.Equal("sector-energiforsorjning", reminder.Value.GetProperty("change").GetProperty("recipients")[0].GetString());
    }
}
