using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// The beredskapsschema through the server: who is on duty now is answered from the roster, a hand-over
/// shows at once, and a plan with a gap or an overlap is a 400 in Swedish that changes nothing.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class DutyRosterTests(AccessServer fixture, ITestOutputHelper output)
{
    private static JsonObject Shift(string person, DateTimeOffset from, DateTimeOffset to) =>
        new() { ["person"] = person, ["from"] = from.ToString("O"), ["to"] = to.ToString("O"), ["phone"] = "08-508 000 00" };

    [Fact]
    public async Task Who_is_on_duty_now_follows_the_roster_and_its_hand_over()
    {
        var now = DateTimeOffset.UtcNow;
        using var per = fixture.Server.CreateClient("per");
        var plan = await new CommandRequest("PlanDutyRoster", "tib", "PUT", "duty-rosters/tib", new JsonObject
        {
            ["shifts"] = new JsonArray(Shift("Per Lind", now.AddHours(-2), now.AddHours(6)), Shift("Karin Ek", now.AddHours(6), now.AddHours(30))),
        }).SendAsync(per);
        Assert.True(plan.Accepted, $"{plan.Status} {plan.Detail}");
        await fixture.WaitForSeqAsync(plan.Seq!.Value);
        var before = Tib(await per.GetFromJsonAsync<JsonElement>("api/pictures/live/duty/now"));

        var handOver = await new CommandRequest("HandOverDuty", "tib", "POST", "duty-rosters/tib/hand-over", new JsonObject { ["to"] = "Ali Nur" }).SendAsync(per);
        Assert.True(handOver.Accepted, $"{handOver.Status} {handOver.Detail}");
        await fixture.WaitForSeqAsync(handOver.Seq!.Value);
        var after = Tib(await per.GetFromJsonAsync<JsonElement>("api/pictures/live/duty/now"));
        var log = await fixture.Central.GetFromJsonAsync<JsonElement>("api/pictures/live/log?entity=DutyRoster/tib&limit=1000");

        output.WriteLine($"before: {before}\nafter: {after}");
        Assert.Equal("Per Lind", before.GetProperty("now").GetProperty("person").GetString());
        Assert.Equal("Karin Ek", before.GetProperty("next").GetProperty("person").GetString());
        Assert.Equal("Ali Nur", after.GetProperty("now").GetProperty("person").GetString());
        Assert.Equal("Karin Ek", after.GetProperty("next").GetProperty("person").GetString());
        var last = log.GetProperty("entries").EnumerateArray().Last();
        Assert.Equal("DutyHandedOver", last.GetProperty("type").GetString());
        Assert.Equal("Per Lind", last.GetProperty("actor").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_roster_with_a_gap_or_an_overlap_is_refused_in_swedish_and_changes_nothing()
    {
        var now = DateTimeOffset.UtcNow;
        var before = await fixture.DigestAsync();
        var gap = await Plan(Shift("Sara Ek", now, now.AddHours(8)), Shift("Omar Haddad", now.AddHours(9), now.AddHours(20)));
        var overlap = await Plan(Shift("Sara Ek", now, now.AddHours(8)), Shift("Omar Haddad", now.AddHours(7), now.AddHours(20)));
        var after = await fixture.DigestAsync();

        output.WriteLine($"gap: {gap}\noverlap: {overlap}");
        Assert.Equal(400, gap.Status);
        Assert.Equal(400, overlap.Status);
        Assert.Contains("ingen beredskap", gap.Problem);
        Assert.Contains("överlappar", overlap.Problem);
        Assert.Equal(before, after);
    }

    /// <summary>Sara lays out Farsta's roster: the status and what the ProblemDetails says of the shifts.</summary>
    private async Task<(int Status, string? Problem)> Plan(params JsonObject[] shifts)
    {
        using var sara = fixture.Server.CreateClient("sara");
        using var response = await sara.SendJsonAsync("PUT", "api/pictures/live/duty-rosters/district-farsta", new JsonObject { ["shifts"] = new JsonArray(shifts) }.ToJsonString());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return ((int)response.StatusCode, problem.TryGetProperty("errors", out var errors) ? errors.GetProperty("shifts")[0].GetString() : null);
    }

    private static JsonElement Tib(JsonElement answer) =>
        answer.GetProperty("duties").EnumerateArray().Single(d => d.GetProperty("roster").GetString() == "tib");
}
