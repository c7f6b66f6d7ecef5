using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>
/// The TiB's bedömning of an alert from outside: a signed CAP message comes in, and the TiB takes its area into the
/// picture (the snapshot and every open map's live delta carry it), forwards it to a district's person on duty, or
/// dismisses it with a reason; each once, each an attributed loggbok entry, and nobody else may.
/// </summary>
public sealed class CapTriageTests
{
    private static ServerProcess Server(IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Lagesbild:Alerts:Enabled"] = "true",
            ["Lagesbild:Alerts:Rules:0"] = "SectorDown",
            ["Lagesbild:Alerts:EscalateAfterSeconds"] = "3600",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
            settings[key] = value;
        CapSenders.AddIntake(settings);
        return new ServerProcess(settings: settings);
    }

    /// <summary>
    /// A started server with the CAP intake, Per Lind as TiB on duty in <see cref="Picture"/> (an exercise picture is created
    /// first), central (anna), the TiB (per) and Farsta (sara) signed in, and a sender outside that posts signed messages.
    /// </summary>
    private sealed class Scene : IAsyncDisposable
    {
        private Scene(ServerProcess server, string picture)
        {
            Server = server;
            Picture = picture;
            Anna = server.CreateClient("anna");
            Per = server.CreateClient("per");
            Sara = server.CreateClient("sara");
            Outside = new HttpClient { BaseAddress = server.BaseAddress };
        }

        public ServerProcess Server { get; }
        public string Picture { get; }
        public HttpClient Anna { get; }
        public HttpClient Per { get; }
        public HttpClient Sara { get; }
        public HttpClient Outside { get; }

        public static async Task<Scene> StartAsync(IDictionary<string, string>? more = null, string picture = "live")
        {
            var server = CapTriageTests.Server(more);
            try
            {
                await server.StartAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
            // The clients sign in as they are made: after the start.
            var scene = new Scene(server, picture);
            try
            {
                if (picture != "live")
                    await AlertApi.CreateExerciseAsync(scene.Anna, picture, "Gasövning");
                await AlertApi.PlanAsync(scene.Anna, "tib", "Per Lind", picture);
                return scene;
            }
            catch
            {
                await scene.DisposeAsync();
                throw;
            }
        }

        /// <summary>The sender posts a signed CAP message; the id of the alert it became.</summary>
        public async Task<string> ReceiveAsync(string identifier, string status = "Actual")
        {
            using var posted = await CapSenders.PostAsync(Outside, CapSenders.Message(identifier, status: status), picture: Picture);
            var answer = await posted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(posted.IsSuccessStatusCode, answer.ToString());
            return answer.GetProperty("alert").GetString()!;
        }

        public async ValueTask DisposeAsync()
        {
            Anna.Dispose();
            Per.Dispose();
            Sara.Dispose();
            Outside.Dispose();
            await Server.DisposeAsync();
        }
    }

    private static async Task<(int Status, JsonElement Body)> TriageAsync(HttpClient http, string alert, string what, object body, string picture = "live")
    {
        using var answer = await http.SendJsonAsync("POST", $"api/pictures/{picture}/alerts/{alert}/{what}", JsonSerializer.Serialize(body));
        return ((int)answer.StatusCode, await answer.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<JsonElement> StateAsync(HttpClient http, string alert, string picture = "live") =>
        (await AlertApi.AlertsAsync(http, picture)).Single(a => a.GetProperty("id").GetString() == alert).GetProperty("state");

    [Fact]
    public async Task The_TiB_accepts_a_CAP_alert_and_its_area_with_headline_and_sender_is_in_the_snapshot_and_a_partners_live_delta()
    {
        await using var scene = await Scene.StartAsync();
        var (server, anna, per, sara) = (scene.Server, scene.Anna, scene.Per, scene.Sara);
        var id = await scene.ReceiveAsync("SOS-2026-0500");
        await using var polis = new LiveClient(server.BaseAddress, reconnect: false, user: "polis");
        await polis.ConnectAsync();

        var (forbidden, refusal) = await TriageAsync(sara, id, "accept", new { });
        Assert.Equal(403, forbidden);
        Assert.StartsWith("Bara TiB i tjänst och central krisledning bedömer larm utifrån", refusal.GetProperty("detail").GetString());

        var (status, accepted) = await TriageAsync(per, id, "accept", new { reason = "Bekräftat med SSBF:s räddningsledare" });
        Assert.True(status == 200, accepted.ToString());
        var seq = accepted.GetProperty("seq").GetInt64();

        var state = await StateAsync(anna, id);
        var triage = state.GetProperty("triage");
        Assert.Equal(("Accepted", "Per Lind", "Bekräftat med SSBF:s räddningsledare"),
            (triage.GetProperty("outcome").GetString(), triage.GetProperty("by").GetString(), triage.GetProperty("comment").GetString()));
        Assert.Equal(("Gasläcka i Farsta centrum", "SOS Alarm"), (state.GetProperty("name").GetString(), state.GetProperty("source").GetString()));
        Assert.Equal(5, state.GetProperty("cap").GetProperty("areas")[0].GetArrayLength());
        Assert.Null(state.GetProperty("escalatesAt").GetString());

        // The partner's map gets the area as the delta arrives, not on a reload.
        await polis.WaitForSeqAsync(seq);
        Assert.Contains(polis.Deltas, d => d.Seq == seq && d.Type == "AlertAccepted");
        using (var live = JsonDocument.Parse(polis.StateOf($"Alert/{id}")!))
        {
            Assert.Equal("Accepted", live.RootElement.GetProperty("triage").GetProperty("outcome").GetString());
            Assert.Equal(18.085, live.RootElement.GetProperty("cap").GetProperty("areas")[0][0].GetProperty("lon").GetDouble());
        }

        var entry = (await AlertApi.EntriesAsync(anna, id)).Last();
        Assert.Equal(("AlertAccepted", "Per Lind", "Bekräftat med SSBF:s räddningsledare"),
            (entry.GetProperty("type").GetString(), entry.GetProperty("actor").GetProperty("name").GetString(), entry.GetProperty("reason").GetString()));

        var before = await anna.DigestAsync();
        var (again, conflict) = await TriageAsync(anna, id, "dismiss", new { reason = "Fel" });
        Assert.Equal(409, again);
        Assert.Contains("redan bedömt: intaget i lägesbilden av Per Lind", conflict.GetProperty("detail").GetString());
        Assert.Equal(before, await anna.DigestAsync());
    }

    [Fact]
    public async Task A_dismissal_needs_a_reason_and_is_in_the_loggbok_with_it()
    {
        await using var scene = await Scene.StartAsync();
        var (anna, per) = (scene.Anna, scene.Per);
        var id = await scene.ReceiveAsync("SOS-2026-0501");

        var before = await anna.DigestAsync();
        var (missing, problem) = await TriageAsync(per, id, "dismiss", new { });
        Assert.Equal(400, missing);
        Assert.Equal("Måste anges.", problem.GetProperty("errors").GetProperty("reason")[0].GetString());
        Assert.Equal(before, await anna.DigestAsync());

        var (status, _) = await TriageAsync(per, id, "dismiss", new { reason = "Gäller Huddinge, inte staden" });
        Assert.Equal(200, status);
        var triage = (await StateAsync(anna, id)).GetProperty("triage");
        Assert.Equal(("Dismissed", "Gäller Huddinge, inte staden"), (triage.GetProperty("outcome").GetString(), triage.GetProperty("comment").GetString()));
        var entry = (await AlertApi.EntriesAsync(anna, id)).Last();
        Assert.Equal(("AlertDismissed", "Per Lind", "Gäller Huddinge, inte staden"),
            (entry.GetProperty("type").GetString(), entry.GetProperty("actor").GetProperty("name").GetString(), entry.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task A_forward_reaches_the_districts_person_on_duty_who_acknowledges_it_and_one_to_a_desk_with_nobody_is_refused()
    {
        await using var scene = await Scene.StartAsync();
        var (anna, per, sara) = (scene.Anna, scene.Per, scene.Sara);
        var id = await scene.ReceiveAsync("SOS-2026-0502");

        var (nobody, refusal) = await TriageAsync(per, id, "forward", new { district = "farsta" });
        Assert.Equal(409, nobody);
        Assert.Contains("Ingen är i tjänst hos beredskapen i Farsta", refusal.GetProperty("detail").GetString());

        await AlertApi.PlanAsync(sara, "district-farsta", "Sara Ek");
        var (status, forwarded) = await TriageAsync(per, id, "forward", new { district = "farsta" });
        Assert.True(status == 200, forwarded.ToString());
        var state = await StateAsync(anna, id);
        var to = state.GetProperty("recipients").EnumerateArray().Single(r => r.GetProperty("person").GetString() == "Sara Ek");
        Assert.Equal(("district-farsta", "NotConfirmed"), (to.GetProperty("step").GetString(), to.GetProperty("state").GetString()));
        Assert.Equal(("Forwarded", "district-farsta"),
            (state.GetProperty("triage").GetProperty("outcome").GetString(), state.GetProperty("triage").GetProperty("forwardedTo").GetString()));
        var entry = (await AlertApi.EntriesAsync(anna, id)).Last();
        Assert.Equal(("AlertForwarded", "Per Lind", "Sara Ek"), (entry.GetProperty("type").GetString(),
            entry.GetProperty("actor").GetProperty("name").GetString(), entry.GetProperty("change").GetProperty("to").GetProperty("person").GetString()));

        // The district's duty now has it as hers: her one tap confirms her row.
        using (var acknowledged = await sara.SendJsonAsync("POST", $"api/pictures/live/alerts/{id}/acknowledge", "{}"))
            Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
        Assert.Equal("Confirmed", (await StateAsync(anna, id)).GetProperty("recipients").EnumerateArray()
            .Single(r => r.GetProperty("person").GetString() == "Sara Ek").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_forward_after_the_TiB_acknowledged_still_reaches_the_districts_duty_by_email_once()
    {
        await using var smtp = await LoopbackSmtp.StartAsync();
        var settings = smtp.AlertSettings();
        settings["Lagesbild:Alerts:Channels:People:1:Name"] = "Sara Ek";
        settings["Lagesbild:Alerts:Channels:People:1:Email"] = "sara.ek@stockholm.example";
        await using var scene = await Scene.StartAsync(settings);
        var (anna, per) = (scene.Anna, scene.Per);
        await AlertApi.PlanAsync(anna, "district-farsta", "Sara Ek");
        var id = await scene.ReceiveAsync("SOS-2026-0503");
        await AlertApi.UntilAsync(() => Task.FromResult(smtp.Received.Count == 1), "The TiB's mail never came.");
        using (var acknowledged = await per.SendJsonAsync("POST", $"api/pictures/live/alerts/{id}/acknowledge", "{}"))
            Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());

        var (status, answer) = await TriageAsync(per, id, "forward", new { district = "farsta" });
        Assert.True(status == 200, answer.ToString());

        await AlertApi.UntilAsync(() => Task.FromResult(smtp.Received.Count == 2), "The forward's mail never came.");
        var (_, mail) = smtp.Received.Last();
        Assert.Equal("sara.ek@stockholm.example", mail.To.Mailboxes.Single().Address);
        Assert.Contains("Gasläcka i Farsta centrum", mail.Subject);
        await AlertApi.UntilAsync(async () => (await StateAsync(anna, id)).GetProperty("recipients").EnumerateArray()
            .Any(r => r.GetProperty("person").GetString() == "Sara Ek" && r.GetProperty("channels").ValueKind == JsonValueKind.Array),
            "The forward's delivery was never recorded.");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(2, smtp.Received.Count);
    }

    [Fact]
    public async Task In_an_exercise_the_accepted_area_keeps_OVNING_and_the_live_picture_gets_nothing()
    {
        await using var scene = await Scene.StartAsync(picture: "ex-gas");
        var anna = scene.Anna;
        var id = await scene.ReceiveAsync("OVN-7", status: "Exercise");

        var (status, answer) = await TriageAsync(anna, id, "accept", new { }, "ex-gas");
        Assert.True(status == 200, answer.ToString());
        var state = await StateAsync(anna, id, "ex-gas");
        Assert.Equal("Accepted", state.GetProperty("triage").GetProperty("outcome").GetString());
        Assert.StartsWith("ÖVNING – ", state.GetProperty("name").GetString());
        Assert.Empty(await AlertApi.AlertsAsync(anna));
    }
}
