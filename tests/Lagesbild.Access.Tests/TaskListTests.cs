using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// An event kind's default task list (appsettings.json: a long power cut) given by central krisledning to the affected
/// districts in one command: every task an ordinary uppdrag, in order, attributed; anyone else is refused and nothing changes.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class TaskListTests(AccessServer fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_long_power_cut_gives_every_affected_district_its_tasks_as_ordinary_uppdrag_that_the_district_acknowledges()
    {
        var kinds = await fixture.Central.GetFromJsonAsync<JsonElement>("api/task-lists");
        var powerCut = kinds.EnumerateArray().Single(k => k.GetProperty("id").GetString() == "langvarigt-elavbrott");
        Assert.Equal("Långvarigt elavbrott", powerCut.GetProperty("name").GetString());

        var list = $"el-{Guid.NewGuid():N}"[..20];
        var (before, _) = await fixture.DigestAsync();
        using var response = await fixture.Central.SendJsonAsync("POST", "api/pictures/live/task-lists", Issue(list).ToJsonString());
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        output.WriteLine(issued.ToString());
        Assert.True(response.IsSuccessStatusCode, issued.ToString());
        var tasks = issued.GetProperty("assignments").EnumerateArray().ToArray();
        Assert.Equal([$"{list}-farsta-1", $"{list}-farsta-2", $"{list}-sodermalm-1", $"{list}-sodermalm-2"], tasks.Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(Enumerable.Range(1, 4).Select(n => before + n), tasks.Select(t => t.GetProperty("seq").GetInt64()));

        await fixture.WaitForSeqAsync(before + 4);
        var first = await fixture.StateAsync("Assignment", $"{list}-farsta-1");
        var second = await fixture.StateAsync("Assignment", $"{list}-farsta-2");
        Assert.Equal("Kontrollera era trygghetspunkter", first.GetProperty("name").GetString());
        Assert.Equal("Kontakta vård- och omsorgsboenden utan reservkraft", second.GetProperty("name").GetString());
        Assert.Equal("farsta", first.GetProperty("to").GetProperty("id").GetString());
        Assert.Equal("Anna Berg", first.GetProperty("sentBy").GetProperty("name").GetString());
        var log = await fixture.Central.GetStringAsync($"api/pictures/live/log?entity=Assignment/{list}-sodermalm-1");
        Assert.Contains("Söderort utan ström sedan 02:00", log);

        // An ordinary uppdrag: Farsta acknowledges its own, not Södermalm's.
        using var sara = fixture.Server.CreateClient("sara");
        Assert.True((await new CommandRequest("acknowledge", $"{list}-farsta-1", "POST", $"assignments/{list}-farsta-1/acknowledge", new JsonObject()).SendAsync(sara)).Accepted);
        Assert.Equal(403, (await new CommandRequest("acknowledge", $"{list}-sodermalm-1", "POST", $"assignments/{list}-sodermalm-1/acknowledge", new JsonObject()).SendAsync(sara)).Status);
    }

    [Fact]
    public async Task A_list_given_again_gives_no_second_uppdrag()
    {
        var list = $"el-{Guid.NewGuid():N}"[..20];
        using var first = await fixture.Central.SendJsonAsync("POST", "api/pictures/live/task-lists", Issue(list).ToJsonString());
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        var after = await fixture.DigestAsync();

        using var again = await fixture.Central.SendJsonAsync("POST", "api/pictures/live/task-lists", Issue(list).ToJsonString());

        output.WriteLine($"again: {(int)again.StatusCode} {await again.Content.ReadAsStringAsync()}");
        Assert.Equal(409, (int)again.StatusCode);
        Assert.Equal(after, await fixture.DigestAsync());
    }

    [Fact]
    public async Task Only_central_krisledning_gives_a_task_list_and_a_refusal_says_why_and_changes_nothing()
    {
        var rows = new List<string>();
        foreach (var user in DemoUser.All)
        {
            using var http = fixture.Server.CreateClient(user.Id);
            var before = await fixture.DigestAsync();
            using var response = await http.SendJsonAsync("POST", "api/pictures/live/task-lists", Issue($"el-{Guid.NewGuid():N}"[..20]).ToJsonString());
            var body = await response.Content.ReadAsStringAsync();
            var after = await fixture.DigestAsync();
            JsonElement? permissions = user.Role == "public" ? null : await http.GetFromJsonAsync<JsonElement>("api/pictures/live/permissions");
            rows.Add($"{user.Id,-10} {(int)response.StatusCode} told {permissions?.GetProperty("issueTaskList").GetInt32().ToString() ?? "-"}");

            if (user.Role == "central")
            {
                Assert.True(response.IsSuccessStatusCode, body);
                Assert.Equal(-1, permissions!.Value.GetProperty("issueTaskList").GetInt32());
                continue;
            }
            Assert.Equal(403, (int)response.StatusCode);
            Assert.Equal(before, after);
            var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
            Assert.False(string.IsNullOrWhiteSpace(detail));
            if (permissions is { } told)
                Assert.Equal(detail, told.GetProperty("reasons")[told.GetProperty("issueTaskList").GetInt32()].GetString());
        }
        output.WriteLine(string.Join('\n', rows));
    }

    [Theory]
    [InlineData("skogsbrand", "farsta", "eventKind")]
    [InlineData("langvarigt-elavbrott", "atlantis", "districts")]
    public async Task A_list_for_an_unknown_kind_or_district_is_refused_whole(string kind, string district, string field)
    {
        var before = await fixture.DigestAsync();
        var body = new JsonObject { ["id"] = $"el-{Guid.NewGuid():N}"[..20], ["eventKind"] = kind, ["districts"] = new JsonArray("farsta", district) };
        using var response = await fixture.Central.SendJsonAsync("POST", "api/pictures/live/task-lists", body.ToJsonString());
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        output.WriteLine(problem.ToString());
        Assert.Equal(400, (int)response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, await fixture.DigestAsync());
    }

    private static JsonObject Issue(string id) => new()
    {
        ["id"] = id, ["eventKind"] = "langvarigt-elavbrott", ["districts"] = new JsonArray("farsta", "sodermalm"),
        ["reason"] = "Söderort utan ström sedan 02:00",
    };
}
