using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>
/// Alerts over HTTP, on a server that judges its rules as at night: a sector goes down, the TiB on duty gets the alert,
/// only she acknowledges it, nobody answering sends it on wave by wave (each wave in the loggbok, a restart in between).
/// </summary>
public sealed class AlertTests(ITestOutputHelper output)
{
    private const string Sector = "energiforsorjning";

    private static ServerProcess Server(int escalateAfterSeconds) => new(settings: new Dictionary<string, string>
    {
        ["Lagesbild:Alerts:Enabled"] = "true",
        ["Lagesbild:Alerts:Rules:0"] = "SectorDown",
        ["Lagesbild:Alerts:EscalateAfterSeconds"] = escalateAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    [Fact]
    public async Task The_TiB_on_duty_gets_the_alert_only_she_acknowledges_it_and_it_says_when_its_cause_clears()
    {
        await using var server = Server(3600);
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        using var per = server.CreateClient("per");
        using var sara = server.CreateClient("sara");
        await AlertApi.PlanAsync(anna, "tib", "Per Lind");
        await SectorAsync(anna, "Down");

        var (id, alert) = await WaitForAlertAsync(anna, a => true);
        var first = alert.GetProperty("recipients")[0];
        Assert.Equal(("Per Lind", "NotConfirmed", 1), (first.GetProperty("person").GetString(), first.GetProperty("state").GetString(), first.GetProperty("wave").GetInt32()));
        Assert.Equal(("Critical", $"Sector/{Sector}"), (alert.GetProperty("severity").GetString(), alert.GetProperty("cause").GetProperty("entity").GetString()));
        var raised = Assert.Single(await EntriesAsync(anna, id), e => e.GetProperty("type").GetString() == "AlertRaised");
        Assert.StartsWith("Larmregel", raised.GetProperty("actor").GetProperty("name").GetString());
        Assert.Equal(alert.GetProperty("cause").GetProperty("seq").GetInt64(), await SectorSeqAsync(anna));

        var before = await anna.DigestAsync();
        using (var others = await sara.SendJsonAsync("POST", $"api/pictures/live/alerts/{id}/acknowledge", "{}"))
        {
            var problem = await others.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(403, (int)others.StatusCode);
            Assert.Contains("Per Lind", problem.GetProperty("detail").GetString());
            Assert.Equal("application/problem+json", others.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(before, await anna.DigestAsync());

        using (var own = await per.SendJsonAsync("POST", $"api/pictures/live/alerts/{id}/acknowledge", "{}"))
            Assert.True(own.IsSuccessStatusCode, await own.Content.ReadAsStringAsync());
        (_, alert) = await WaitForAlertAsync(anna, a => a.GetProperty("acknowledgedAt").ValueKind != JsonValueKind.Null);
        Assert.Equal("Confirmed", alert.GetProperty("recipients")[0].GetProperty("state").GetString());
        Assert.Equal("Per Lind", alert.GetProperty("acknowledgedBy").GetString());
        using (var twice = await per.SendJsonAsync("POST", $"api/pictures/live/alerts/{id}/acknowledge", "{}"))
            Assert.Equal(409, (int)twice.StatusCode);

        await SectorAsync(anna, "Normal");
        (_, alert) = await WaitForAlertAsync(anna, a => a.GetProperty("clearedAt").ValueKind != JsonValueKind.Null);
        Assert.Single(await EntriesAsync(anna, id), e => e.GetProperty("type").GetString() == "AlertCleared");
        // The cause is gone and its alert closed: nothing new is raised for it.
        Assert.Single(await AlertsAsync(anna));
    }

    [Fact]
    public async Task Unacknowledged_it_escalates_to_the_next_in_the_chain_twice_each_wave_in_the_loggbok_once_across_a_restart()
    {
        // The chain (appsettings): TiB on duty, then the TiB's backup, then central krisledning's chief (Anna Berg).
        await using var server = Server(6);
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        await AlertApi.PlanAsync(anna, "tib", "Per Lind");
        await AlertApi.PlanAsync(anna, "tib-reserv", "Karin Holm");
        await SectorAsync(anna, "Down");

        var (id, alert) = await WaitForAlertAsync(anna, a => true);
        var secondDue = alert.GetProperty("escalatesAt").GetDateTimeOffset();
        (_, alert) = await WaitForAlertAsync(anna, a => a.GetProperty("wave").GetInt32() >= 2, TimeSpan.FromSeconds(30));
        var second = alert.GetProperty("recipients")[1];
        Assert.Equal(("Karin Holm", 2, "tib-reserv"), (second.GetProperty("person").GetString(), second.GetProperty("wave").GetInt32(), second.GetProperty("step").GetString()));
        output.WriteLine($"wave 2 sent {(second.GetProperty("notifiedAt").GetDateTimeOffset() - secondDue).TotalMilliseconds:0} ms after its deadline");
        var thirdDue = alert.GetProperty("escalatesAt").GetDateTimeOffset();

        // The node stops before the third wave is due and is back after it: the wave goes when it is up, once.
        await server.StopAsync();
        await server.StartAsync();
        var restarted = DateTimeOffset.UtcNow;
        (_, alert) = await WaitForAlertAsync(anna, a => a.GetProperty("wave").GetInt32() >= 3, TimeSpan.FromSeconds(60));
        var third = alert.GetProperty("recipients")[2];
        Assert.Equal(("Anna Berg", "NotConfirmed"), (third.GetProperty("person").GetString(), third.GetProperty("state").GetString()));
        output.WriteLine($"wave 3 due {thirdDue:HH:mm:ss.fff}, ready again {restarted:HH:mm:ss.fff}, sent {third.GetProperty("notifiedAt").GetDateTimeOffset():HH:mm:ss.fff}");
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("escalatesAt").ValueKind);

        await server.StopAsync();
        await server.StartAsync();
        var waves = (await EntriesAsync(anna, id)).Where(e => e.GetProperty("type").GetString() == "AlertEscalated")
            .Select(e => e.GetProperty("change").GetProperty("wave").GetInt32()).ToArray();
        Assert.Equal([2, 3], waves);
        Assert.Equal(["Per Lind", "Karin Holm"], (await EntriesAsync(anna, id)).Last().GetProperty("change").GetProperty("notConfirmed").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task An_exercises_alert_is_marked_OVNING_and_never_touches_the_live_picture()
    {
        await using var server = Server(3600);
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        using (var created = await anna.SendJsonAsync("POST", "api/pictures", """{"id":"ex-natt","name":"Nattövning"}"""))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        await AlertApi.PlanAsync(anna, "tib", "Per Lind", "ex-natt");
        await SectorAsync(anna, "Down", "ex-natt");

        var (_, alert) = await WaitForAlertAsync(anna, a => true, picture: "ex-natt");
        Assert.StartsWith("ÖVNING – ", alert.GetProperty("name").GetString());
        Assert.Equal("Per Lind", alert.GetProperty("recipients")[0].GetProperty("person").GetString());
        Assert.Empty(await AlertsAsync(anna));
    }

    private static async Task SectorAsync(HttpClient http, string status, string picture = "live")
    {
        var body = JsonSerializer.Serialize(new { status, affectedDistricts = status == "Normal" ? Array.Empty<string>() : ["farsta"] });
        using var answer = await http.SendJsonAsync("PUT", $"api/pictures/{picture}/sectors/{Sector}/status", body);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }

    private static async Task<long> SectorSeqAsync(HttpClient http) =>
        (await RecordsAsync(http)).Single(r => r.GetProperty("kind").GetString() == "Sector" && r.GetProperty("id").GetString() == Sector).GetProperty("seq").GetInt64();

    private static async Task<JsonElement[]> RecordsAsync(HttpClient http, string picture = "live") =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/snapshot")).GetProperty("entities").EnumerateArray()];

    private static async Task<JsonElement[]> AlertsAsync(HttpClient http, string picture = "live") =>
        [.. (await RecordsAsync(http, picture)).Where(r => r.GetProperty("kind").GetString() == "Alert")];

    private static async Task<(string Id, JsonElement State)> WaitForAlertAsync(HttpClient http, Func<JsonElement, bool> until, TimeSpan? timeout = null, string picture = "live")
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var alert = (await AlertsAsync(http, picture)).FirstOrDefault(a => until(a.GetProperty("state")));
            if (alert.ValueKind != JsonValueKind.Undefined)
                return (alert.GetProperty("id").GetString()!, alert.GetProperty("state").Clone());
            Assert.True(DateTime.UtcNow < deadline, "The alert never came to the state waited for.");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement[]> EntriesAsync(HttpClient http, string id) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"api/pictures/live/log?entity=Alert/{id}")).GetProperty("entries").EnumerateArray()];
}
