using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>An exercise's inspel reach the exercise picture at their scenario time, once, however often the server restarts.</summary>
public sealed class InjectDeliveryTests
{
    private const string Scenario = """
        id;tid;leverans;från;till;text;förväntad åtgärd;mål
        I-01;00:02:00;meddelande;SOS Alarm;farsta;Strömavbrott i Hökarängen och Farsta strand;Aktivera lokal krisledning;Mål 1
        I-02;00:03:00;sektor-utslagen;Ellevio;energiforsorjning;Fördelningsstation Farsta ur drift;Lägesrapport;Mål 2
        I-03;05:00:00;meddelande;Polisen;farsta;Kommer aldrig;;Mål 3
        """;

    [Fact]
    public async Task An_inject_reaches_the_recipients_inbox_and_the_picture_at_its_scenario_time_exactly_once_across_restarts()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var anna = server.CreateClient();
        var picture = $"ex-inspel-{Guid.NewGuid():N}"[..20];
        (await anna.SendJsonAsync("POST", "api/pictures", $$"""{"id":"{{picture}}","name":"Inspelsövning"}""")).EnsureSuccessStatusCode();
        (await anna.SendJsonAsync("PUT", $"api/pictures/{picture}/scenario", Scenario, "text/csv")).EnsureSuccessStatusCode();
        (await anna.SendJsonAsync("POST", $"api/pictures/{picture}/exercise/skip", """{"inject":"I-03"}""")).EnsureSuccessStatusCode();

        // Ten times the wall clock: I-01 is due 12 s after the start, I-02 18 s; the restart falls before or between them.
        var started = await anna.SendJsonAsync("POST", $"api/pictures/{picture}/exercise/start", """{"speed":10}""");
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        await server.StopAsync();
        await server.StartAsync();

        var run = await WaitForAsync(anna, picture, state => state.GetProperty("injects").EnumerateArray().Count(m => m.TryGetProperty("deliveredAt", out var at) && at.ValueKind == JsonValueKind.String) == 2,
            TimeSpan.FromSeconds(120));

        // Farsta's inbox has the message, from the played actor, with its scenario time; its text is in the loggbok.
        var messages = await EntitiesAsync(anna, picture, "Message");
        var message = Assert.Single(messages);
        Assert.Equal("farsta", message.GetProperty("state").GetProperty("to").GetProperty("id").GetString());
        Assert.Equal("SOS Alarm", message.GetProperty("state").GetProperty("from").GetString());
        Assert.Equal("I-01", message.GetProperty("state").GetProperty("inject").GetString());
        var posted = Assert.Single(await EntriesAsync(anna, picture, $"Message/{message.GetProperty("id").GetString()}"));
        Assert.Equal("Strömavbrott i Hökarängen och Farsta strand", posted.GetProperty("change").GetProperty("text").GetString());

        // The change inject: the sector reported down, attributed to the played actor.
        var sector = (await EntitiesAsync(anna, picture, "Sector")).Single(s => s.GetProperty("id").GetString() == "energiforsorjning");
        Assert.Equal("Down", sector.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal("Ellevio", sector.GetProperty("by").GetString());

        // Each delivered at or after its scenario time, never before; the skipped one never.
        var marks = run.GetProperty("injects").EnumerateArray().ToDictionary(m => m.GetProperty("inject").GetString()!);
        Assert.True(TimeSpan.Parse(marks["I-01"].GetProperty("deliveredAtScenario").GetString()!) >= TimeSpan.FromMinutes(2));
        Assert.True(TimeSpan.Parse(marks["I-02"].GetProperty("deliveredAtScenario").GetString()!) >= TimeSpan.FromMinutes(3));
        Assert.True(marks["I-03"].GetProperty("skipped").GetBoolean());

        // Another restart wakes the exercise again: nothing is delivered twice.
        await server.StopAsync();
        await server.StartAsync();
        var sent = await anna.SendJsonAsync("POST", $"api/pictures/{picture}/exercise/send", """{"inject":"I-01"}""");
        Assert.Equal(HttpStatusCode.Conflict, sent.StatusCode);
        Assert.Single(await EntitiesAsync(anna, picture, "Message"));
        var delivered = (await EntriesAsync(anna, picture, "Exercise/ovning")).Where(e => e.GetProperty("type").GetString() == "InjectDelivered").ToArray();
        Assert.Equal(["I-01", "I-02"], delivered.Select(e => e.GetProperty("change").GetProperty("inject").GetString()).Order());
        Assert.Equal(2, (await EntriesAsync(anna, picture, "Sector/energiforsorjning")).Length);
    }

    [Fact]
    public async Task The_clock_is_refused_on_the_live_picture_and_an_illegal_step_changes_nothing()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var anna = server.CreateClient();
        var picture = $"ex-klocka-{Guid.NewGuid():N}"[..20];
        (await anna.SendJsonAsync("POST", "api/pictures", $$"""{"id":"{{picture}}","name":"Klockövning"}""")).EnsureSuccessStatusCode();

        var refusals = new List<(string What, HttpStatusCode Status, string Detail)>();
        async Task TryAsync(string what, string method, string path, string body)
        {
            var before = await anna.GetStringAsync($"api/pictures/{(path.StartsWith("live", StringComparison.Ordinal) ? "live" : picture)}/digest");
            using var answer = await anna.SendJsonAsync(method, $"api/pictures/{path}", body);
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : problem.GetProperty("errors").ToString();
            refusals.Add((what, answer.StatusCode, detail));
            Assert.Equal(before, await anna.GetStringAsync($"api/pictures/{(path.StartsWith("live", StringComparison.Ordinal) ? "live" : picture)}/digest"));
        }

        await TryAsync("start on live", "POST", "live/exercise/start", "{}");
        await TryAsync("pause before start", "POST", $"{picture}/exercise/pause", "{}");
        await TryAsync("speed 11", "POST", $"{picture}/exercise/start", """{"speed":11}""");
        (await anna.SendJsonAsync("POST", $"api/pictures/{picture}/exercise/start", "{}")).EnsureSuccessStatusCode();
        await TryAsync("start twice", "POST", $"{picture}/exercise/start", "{}");
        await TryAsync("skip an unknown inject", "POST", $"{picture}/exercise/skip", """{"inject":"X-99"}""");
        await TryAsync("a change sent to a replay", "POST", $"{picture}/replay/exercise/pause", "{}");

        Assert.Equal(
            [HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.BadRequest, HttpStatusCode.Conflict, HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed],
            refusals.Select(r => r.Status));
        Assert.Contains("levande lägesbilden är ingen övning", refusals[0].Detail);
        Assert.Contains("redan startad", refusals[3].Detail);
        Assert.Contains("X-99", refusals[4].Detail);
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient http, string picture, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = (await EntitiesAsync(http, picture, "Exercise")).SingleOrDefault();
            if (run.ValueKind == JsonValueKind.Object && done(run.GetProperty("state")))
                return run.GetProperty("state");
            Assert.True(DateTime.UtcNow < until, $"The exercise did not get there: {run}");
            await Task.Delay(250);
        }
    }

    private static async Task<JsonElement[]> EntitiesAsync(HttpClient http, string picture, string kind)
    {
        var snapshot = await http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/snapshot");
        return [.. snapshot.GetProperty("entities").EnumerateArray().Where(e => e.GetProperty("kind").GetString() == kind)];
    }

    private static async Task<JsonElement[]> EntriesAsync(HttpClient http, string picture, string entity)
    {
        var log = await http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/log?entity={entity}");
        return [.. log.GetProperty("entries").EnumerateArray()];
    }
}
