using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// Who runs an exercise (Access.cs, ExerciseRun): exercise control (central krisledning) steers the clock, the
/// inspel and the motspel; a message is marked read by the desk it is to; Lagesbild alone records a delivery.
/// Every role tries every command on an exercise picture as it stands, each before central takes the step, so
/// a refusal can only be about who asks; a refusal is 403 with a reason and nothing changed.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class ExerciseRunAccessTests(AccessServer fixture, ITestOutputHelper output)
{
    private const string Scenario = """
        id;tid;leverans;från;till;text;förväntad åtgärd;mål
        I-01;00:30;meddelande;SOS Alarm;farsta;Brand i Farsta centrum;Aktivera lokal krisledning;Mål 1
        I-02;01:00;meddelande;Ellevio;farsta;Planerat avbrott;;Mål 2
        I-03;02:00;meddelande;Polisen;farsta;Avspärrning;;Mål 3
        """;

    /// <summary>The commands of a run in an order central can take them, with the body each takes.</summary>
    private static readonly (string Command, string Method, string Path, string Body)[] Steps =
    [
        ("StartExercise", "POST", "exercise/start", """{"speed":2}"""),
        ("PauseExercise", "POST", "exercise/pause", "{}"),
        ("ResumeExercise", "POST", "exercise/resume", "{}"),
        ("ChangeExerciseSpeed", "PUT", "exercise/speed", """{"speed":5}"""),
        ("SkipInject", "POST", "exercise/skip", """{"inject":"I-02"}"""),
        ("DelayInject", "POST", "exercise/delay", """{"inject":"I-03","minutes":30}"""),
        ("SendInject", "POST", "exercise/send", """{"inject":"I-01"}"""),
        ("PostMessage", "POST", "messages", """{"id":"motspel-matris","from":"Polisen","to":{"kind":"District","id":"farsta"},"text":"Vi spärrar av Farsta torg."}"""),
        ("StopExercise", "POST", "exercise/stop", "{}"),
    ];

    [Fact]
    public async Task Only_exercise_control_runs_the_clock_the_inspel_and_the_motspel_and_only_the_recipient_reads_a_message()
    {
        var picture = await CreateAsync("ex-matris-klocka");
        var failures = new List<string>();
        foreach (var (name, method, path, body) in Steps)
        {
            foreach (var user in DemoUser.All.Where(u => u.Role != "central").Append(DemoUser.Get("anna")))
                await TryAsync(user, name, method, $"api/pictures/{picture}/{path}", body, picture, expectAllowed: user.Role == "central", failures);
            // An inspel sent by hand is delivered by Lagesbild right after: the next refusals are judged once it has.
            if (name == "SendInject")
                await DeliveredAsync(picture, "I-01");
        }
        // The message the motspel posted is Farsta's: Sara marks it read, nobody else may.
        foreach (var user in DemoUser.All.Where(u => u.Id != "sara").Append(DemoUser.Get("sara")))
            await TryAsync(user, "ReadMessage", "POST", $"api/pictures/{picture}/messages/motspel-matris/read", "{}", picture, expectAllowed: user.Id == "sara", failures);
        // A delivery is Lagesbild's own record, over the hub too.
        await using (var hub = new LiveClient(fixture.Server.BaseAddress, picture, reconnect: false, user: "anna"))
        {
            await hub.ConnectAsync();
            Answer answer;
            try
            {
                answer = Answer.Of(await hub.SendAsync("ovning", JsonDocument.Parse("""{"type":"RecordInjectDelivered","inject":"I-03"}""").RootElement));
            }
            catch (Microsoft.AspNetCore.SignalR.HubException refusal)
            {
                answer = Answer.Of(refusal);
            }
            output.WriteLine($"anna RecordInjectDelivered over the hub → {answer.Status} {answer.Detail}");
            if (answer.Status != 403 || answer.Detail?.Contains("Lagesbild själv") != true)
                failures.Add($"anna recorded a delivery over the hub: {answer.Status} {answer.Detail}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task The_page_is_told_who_runs_the_exercise_and_the_live_picture_has_no_exercise_control()
    {
        var picture = await CreateAsync("ex-matris-tillstand");
        foreach (var user in DemoUser.All.Where(u => u.Role != "public"))
        {
            using var http = fixture.Server.CreateClient(user.Id);
            var exercise = await http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/permissions");
            var live = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/permissions");
            output.WriteLine($"{user.Id,-10} exercise {exercise.GetProperty("exerciseControl").GetInt32()} live {live.GetProperty("exerciseControl").GetInt32()}");
            Assert.Equal(user.Role == "central", exercise.GetProperty("exerciseControl").GetInt32() < 0);
            Assert.True(live.GetProperty("exerciseControl").GetInt32() >= 0);
        }
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

    private async Task<string> CreateAsync(string prefix)
    {
        var picture = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 7)];
        (await fixture.Central.SendJsonAsync("POST", "api/pictures", $$"""{"id":"{{picture}}","name":"Matris"}""")).EnsureSuccessStatusCode();
        (await fixture.Central.SendJsonAsync("PUT", $"api/pictures/{picture}/scenario", Scenario, "text/csv")).EnsureSuccessStatusCode();
        return picture;
    }

    private async Task TryAsync(DemoUser user, string command, string method, string path, string body, string picture, bool expectAllowed, List<string> failures)
    {
        using var http = fixture.Server.CreateClient(user.Id);
        var before = await fixture.Central.GetStringAsync($"api/pictures/{picture}/digest");
        using var answer = await http.SendJsonAsync(method, path, body);
        var after = await fixture.Central.GetStringAsync($"api/pictures/{picture}/digest");
        var text = await answer.Content.ReadAsStringAsync();
        var detail = answer.IsSuccessStatusCode || text.Length == 0 ? "" : JsonDocument.Parse(text).RootElement.TryGetProperty("detail", out var d) ? d.GetString() : text;
        output.WriteLine($"{user.Id,-10} {command,-20} → {(int)answer.StatusCode} {detail}");
        if (expectAllowed && !answer.IsSuccessStatusCode)
            failures.Add($"{user.Id}: {command} was refused: {(int)answer.StatusCode} {detail}");
        if (!expectAllowed)
        {
            if ((int)answer.StatusCode != 403)
                failures.Add($"{user.Id}: {command} answered {(int)answer.StatusCode}, expected 403");
            else if (string.IsNullOrWhiteSpace(detail))
                failures.Add($"{user.Id}: {command} was refused without saying why");
            if (before != after)
                failures.Add($"{user.Id}: {command} was refused but the exercise picture changed");
        }
    }
}
