using System.Collections.Immutable;
using System.Text.Json;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.Assignments;
using Lagesbild.Grains.City;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Lagesbild.Grains.Resolutions;
using static Lagesbild.Grains.Tests.Samples;

namespace Lagesbild.Grains.Tests;

/// <summary>What is written in several appends survives the store failing between them, completed by a retry.</summary>
public sealed class FailureMidwayTests(PictureCluster cluster) : IClassFixture<PictureCluster>
{
    [Fact]
    public async Task A_level_change_whose_beslut_failed_stands_and_Lagesbild_records_its_beslut_once_without_a_retry()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, CityRules.Id, new RegisterCity("Stockholms stad"));
        var step = new ChangeCityLevel(EscalationLevel.SocietalDisturbance, "Stadsdirektören") { Reason = "Storm" };
        var commandId = Guid.NewGuid();
        var levelSeq = await cluster.Store.CurrentSeqAsync(new PictureKeys(picture)) + 1;

        // The level is stored, then the store fails twice for its beslut: the step stands, as every map shows it.
        FailingCalls.Fail(EntityKey.Of(picture, EscalationResolutions.IdOf(levelSeq)), times: 2);
        var stored = await cluster.AcceptedAsync(picture, CityRules.Id, step, commandId);
        Assert.Equal(levelSeq, stored.Seq);

        // Nobody retries: Lagesbild completes the beslut itself once the store answers again.
        var beslut = Json(await EventuallyAsync(() => Beslut(picture, levelSeq)));
        Assert.Equal(levelSeq, beslut.GetProperty("state").GetProperty("escalation").GetProperty("changeSeq").GetInt64());
        Assert.Equal("Storm", (await EntryOfTypeAsync(picture, "ResolutionRecorded")).GetProperty("reason").GetString());

        // A late retry of the step adds nothing: one level change, one beslut.
        await cluster.AcceptedAsync(picture, CityRules.Id, step, commandId);
        var types = await TypesAsync(picture);
        Assert.Equal(1, types.Count(t => t == nameof(CityLevelChanged)));
        Assert.Equal(1, types.Count(t => t == "ResolutionRecorded"));
    }

    [Fact]
    public async Task A_level_step_left_without_its_beslut_when_its_grain_went_away_gets_it_when_the_grain_is_next_woken()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, CityRules.Id, new RegisterCity("Stockholms stad"));
        var levelSeq = await cluster.Store.CurrentSeqAsync(new PictureKeys(picture)) + 1;
        var beslutKey = EntityKey.Of(picture, EscalationResolutions.IdOf(levelSeq));

        // The store fails for the beslut until the city's grain is gone (as when its node dies), taking its retries with it.
        FailingCalls.Fail(beslutKey, times: int.MaxValue);
        await cluster.AcceptedAsync(picture, CityRules.Id, new ChangeCityLevel(EscalationLevel.SocietalDisturbance, "Stadsdirektören") { Reason = "Storm" });
        var city = cluster.Client.GetGrain<ICityGrain>(EntityKey.Of(picture, CityRules.Id));
        await cluster.Cluster.DeactivateAsync(city);
        FailingCalls.Fail(beslutKey, times: 0);
        Assert.Null(await Beslut(picture, levelSeq));

        // Woken (as a starting node wakes the city and the districts), it finds the step without a beslut and records it.
        await city.Record();
        Json(await EventuallyAsync(() => Beslut(picture, levelSeq)));
        Assert.Equal(1, (await TypesAsync(picture)).Count(t => t == "ResolutionRecorded"));
    }

    [Fact]
    public async Task A_task_list_cut_off_halfway_and_sent_again_later_gives_only_the_missing_uppdrag()
    {
        var picture = PictureCluster.NewExercise();
        var lists = new Dictionary<string, IReadOnlyList<TaskTemplate>>
        {
            ["langvarigt-elavbrott"] =
            [
                new("Kontrollera era trygghetspunkter", null, 2),
                new("Kontakta boenden utan reservkraft", null, 4),
                new("Rapportera läget", null, 6, "Lägesrapport"),
            ],
        };
        var issue = new IssueTaskList("elavbrott", "langvarigt-elavbrott", ["farsta", "sodermalm"]);
        var listCommand = Guid.NewGuid();
        var first = DateTimeOffset.UtcNow;

        // The store fails at the fourth uppdrag (Södermalm's first): three are given, the list is cut off.
        FailingCalls.Fail(EntityKey.Of(picture, "elavbrott-sodermalm-1"));
        var (planned, _) = await TaskListIssue.PlanAsync(cluster.Store, picture, issue, lists, MapAreas.Stockholm, first, listCommand);
        await Assert.ThrowsAnyAsync<Exception>(() => TaskListIssue.SendAsync(cluster.Bus, picture, planned, Anna, listCommand));
        Assert.Equal(3, (await TypesAsync(picture)).Length);

        // Sent again a minute later with the same key: the three given are recognised, the three missing are given,
        // all with the deadlines the list was first given with.
        var (again, refusal) = await TaskListIssue.PlanAsync(cluster.Store, picture, issue, lists, MapAreas.Stockholm, first.AddMinutes(1), listCommand);
        Assert.Null(refusal);
        Assert.Equal(planned.Select(t => t.Command.Due), again.Select(t => t.Command.Due));
        var (sent, stopped) = await TaskListIssue.SendAsync(cluster.Bus, picture, again, Anna, listCommand);
        Assert.Null(stopped);
        Assert.Equal(planned.Select(t => t.Id), sent.Select(s => s.Id));
        Assert.Equal([1L, 2, 3], sent.Take(3).Select(s => s.Seq));

        var entries = (await cluster.Store.ReadEntriesAsync(new PictureKeys(picture), 0, 100)).Select(e => Json(e)).ToArray();
        Assert.Equal(6, entries.Length);
        Assert.Equal(planned.Select(t => t.Id).Order(), entries.Select(e => e.GetProperty("entity").GetProperty("id").GetString()!).Order());
    }

    [Fact]
    public async Task A_report_whose_answer_to_its_begaran_failed_stands_and_Lagesbild_marks_the_begaran_answered_once()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, "infor-motet", new RequestSituationReport("Läget inför mötet 14:00", ["district-farsta"], DateTimeOffset.UtcNow.AddHours(2)));
        var report = AnswerToTheBegaran();
        var commandId = Guid.NewGuid();

        // The report is stored, then the store fails twice for the begäran: the report stands.
        FailingCalls.Fail(EntityKey.Of(picture, "infor-motet"), times: 2);
        await SubmitAsFarstaAsync(picture, report, commandId);

        // Nobody retries: Lagesbild marks the begäran answered by report 1 once the store answers again.
        await EventuallyAsync(async () => Json(await Request(picture)).GetProperty("state").GetProperty("recipients")[0].GetProperty("report").ValueKind == JsonValueKind.Number ? "answered" : null);
        Assert.Equal(1, Json(await Request(picture)).GetProperty("state").GetProperty("recipients")[0].GetProperty("report").GetInt32());

        // A late retry of the report, and the report's grain woken again, add nothing: one report, one answer.
        await SubmitAsFarstaAsync(picture, report, commandId);
        await cluster.Cluster.DeactivateAsync(cluster.Client.GetGrain<ISituationReportGrain>(EntityKey.Of(picture, "district-farsta")));
        await cluster.Client.GetGrain<ISituationReportGrain>(EntityKey.Of(picture, "district-farsta")).Record();
        await Task.Delay(500);
        var types = await TypesAsync(picture);
        Assert.Equal(1, types.Count(t => t == nameof(SituationReportSent)));
        Assert.Equal(1, types.Count(t => t == nameof(ReportRequestAnswered)));
    }

    [Fact]
    public async Task A_report_left_without_its_answer_when_its_grain_went_away_marks_the_begaran_answered_when_next_woken()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, "infor-motet", new RequestSituationReport("Läget inför mötet 14:00", ["district-farsta"], DateTimeOffset.UtcNow.AddHours(2)));
        var requestKey = EntityKey.Of(picture, "infor-motet");

        // The store fails for the begäran until the report's grain is gone (as when its node dies), taking its retries with it.
        FailingCalls.Fail(requestKey, times: int.MaxValue);
        await SubmitAsFarstaAsync(picture, AnswerToTheBegaran(), Guid.NewGuid());
        var reports = cluster.Client.GetGrain<ISituationReportGrain>(EntityKey.Of(picture, "district-farsta"));
        await cluster.Cluster.DeactivateAsync(reports);
        FailingCalls.Fail(requestKey, times: 0);
        Assert.Equal(JsonValueKind.Null, Json(await Request(picture)).GetProperty("state").GetProperty("recipients")[0].GetProperty("report").ValueKind);

        // Woken, it finds its answer missing on the begäran and records it.
        await reports.Record();
        await EventuallyAsync(async () => Json(await Request(picture)).GetProperty("state").GetProperty("recipients")[0].GetProperty("report").ValueKind == JsonValueKind.Number ? "answered" : null);
        Assert.Equal(1, (await TypesAsync(picture)).Count(t => t == nameof(ReportRequestAnswered)));
    }

    private static SubmitSituationReport AnswerToTheBegaran() => new(new ReportContents(
        new ReportEvent("Strömavbrott i södra Farsta", "Farsta, Hökarängen", "i dag 06:40", "Ellevio"),
        new ReportConsequences("3 000 hushåll utan ström", "Kylan tränger in i bostäder", null, "Äldre i hemtjänst"),
        "Trygghetspunkten Storforsplan öppnad 08:00", "Behöver diesel till reservkraften", "Ellevio, hemtjänsten, FRG", "Ström åter tidigast i kväll", null), "infor-motet");

    private async Task SubmitAsFarstaAsync(string picture, SubmitSituationReport report, Guid commandId)
    {
        var result = await cluster.Bus.SendAsync(picture, "district-farsta", report, new Actor("Sara Lind", Roles.District, "farsta"), commandId);
        Assert.True(result.IsAccepted, $"the report was refused: {result.Refusal}");
    }

    private Task<string?> Request(string picture) =>
        cluster.Client.GetGrain<IReportRequestGrain>(EntityKey.Of(picture, "infor-motet")).Record();

    /// <summary>What Lagesbild completes behind a command's answer, once it is there (or the test fails after half a minute).</summary>
    private static async Task<string> EventuallyAsync(Func<Task<string?>> read)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await read() is { } found)
                return found;
            Assert.True(DateTime.UtcNow < until, "Lagesbild did not complete it within 30 s.");
            await Task.Delay(100);
        }
    }

    private Task<string?> Beslut(string picture, long levelSeq) =>
        cluster.Client.GetGrain<IResolutionGrain>(EntityKey.Of(picture, EscalationResolutions.IdOf(levelSeq))).Record();

    private async Task<JsonElement> EntryOfTypeAsync(string picture, string type)
    {
        var keys = new PictureKeys(picture);
        var entries = await cluster.Store.ReadEntriesAsync(keys, 0, await cluster.Store.CurrentSeqAsync(keys));
        return entries.Select(e => Json(e)).Single(e => e.GetProperty("type").GetString() == type);
    }

    private async Task<string[]> TypesAsync(string picture)
    {
        var keys = new PictureKeys(picture);
        var entries = await cluster.Store.ReadEntriesAsync(keys, 0, await cluster.Store.CurrentSeqAsync(keys));
        return [.. entries.Select(e => Json(e).GetProperty("type").GetString()!)];
    }
}
