using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lagesbild.Server.Alerts;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>
/// Alerts from outside: a configured sender (here SOS Alarm) posts a signed CAP 1.2 message; it becomes an alert to the
/// TiB on duty with its area, an Update changes it, a Cancel closes it, and every bad message is refused with nothing changed.
/// </summary>
public sealed class CapIntakeTests(ITestOutputHelper output)
{
    private const string SosSecret = CapSenders.SosSecret;
    private const string FireSecret = CapSenders.FireSecret;

    private static ServerProcess Server(IDictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Lagesbild:Alerts:Enabled"] = "true",
            ["Lagesbild:Alerts:Rules:0"] = "SectorDown",
            ["Lagesbild:Alerts:EscalateAfterSeconds"] = "3600",
            ["Lagesbild:CapIntake:Enabled"] = "true",
            ["Lagesbild:CapIntake:MaxBodyBytes"] = "16384",
            ["Lagesbild:CapIntake:Senders:0:Id"] = "sos-alarm",
            ["Lagesbild:CapIntake:Senders:0:Name"] = "SOS Alarm",
            ["Lagesbild:CapIntake:Senders:0:Secret"] = SosSecret,
            ["Lagesbild:CapIntake:Senders:1:Id"] = "raddningstjansten",
            ["Lagesbild:CapIntake:Senders:1:Name"] = "Storstockholms brandförsvar",
            ["Lagesbild:CapIntake:Senders:1:Secret"] = FireSecret,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string>())
            settings[key] = value;
        return new ServerProcess(settings: settings);
    }

    public static string Message(string identifier, string msgType = "Alert", string? references = null, DateTimeOffset? sent = null,
        string status = "Actual", string severity = "Severe", string urgency = "Immediate", string headline = "Gasläcka i Farsta centrum",
        string polygon = "59.2460,18.0850 59.2460,18.1000 59.2380,18.1000 59.2380,18.0850 59.2460,18.0850") =>
        CapSenders.Message(identifier, msgType, references, sent, status, severity, urgency, headline, polygon);

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string xml, string? sender = "sos-alarm", string? secret = SosSecret,
        string picture = "live", long? at = null, string contentType = "application/cap+xml") =>
        CapSenders.PostAsync(http, xml, sender, secret, picture, at, contentType);

    [Fact]
    public async Task A_signed_CAP_alert_reaches_the_TiB_on_duty_with_its_sender_and_area_and_the_same_message_twice_adds_nothing()
    {
        await using var server = Server();
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        using var outside = new HttpClient { BaseAddress = server.BaseAddress };
        await PlanAsync(anna, "Per Lind");

        using var first = await PostAsync(outside, Message("SOS-2026-0412"));
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(first.IsSuccessStatusCode, answer.ToString());
        Assert.False(answer.GetProperty("again").GetBoolean());
        var id = answer.GetProperty("alert").GetString()!;

        var alert = await AlertAsync(anna, id);
        Assert.Equal(("Gasläcka i Farsta centrum", "Critical", "SOS Alarm"),
            (alert.GetProperty("name").GetString(), alert.GetProperty("severity").GetString(), alert.GetProperty("source").GetString()));
        var to = alert.GetProperty("recipients")[0];
        Assert.Equal(("Per Lind", "NotConfirmed"), (to.GetProperty("person").GetString(), to.GetProperty("state").GetString()));
        var cap = alert.GetProperty("cap");
        Assert.Equal(("sos-alarm", "sos@sosalarm.se", "Farsta centrum med omnejd"),
            (cap.GetProperty("sender").GetString(), cap.GetProperty("capSender").GetString(), cap.GetProperty("areaDesc").GetString()));
        var ring = cap.GetProperty("areas")[0];
        Assert.Equal(5, ring.GetArrayLength());
        Assert.Equal((18.085, 59.246), (ring[0].GetProperty("lon").GetDouble(), ring[0].GetProperty("lat").GetDouble()));
        var raised = Assert.Single(await EntriesAsync(anna, id));
        Assert.Equal(("AlertRaised", "SOS Alarm (CAP)"), (raised.GetProperty("type").GetString(), raised.GetProperty("actor").GetProperty("name").GetString()));
        Assert.StartsWith("Läckage från gasledning", raised.GetProperty("change").GetProperty("detail").GetString());

        // The same message again (a sender's retry): the same alert, nothing added.
        var before = await anna.DigestAsync();
        using var again = await PostAsync(outside, Message("SOS-2026-0412"));
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(200, (int)again.StatusCode);
        Assert.Equal((id, true), (second.GetProperty("alert").GetString(), second.GetProperty("again").GetBoolean()));
        Assert.Equal(before, await anna.DigestAsync());

        // The TiB acknowledges it like any other alert.
        using var per = server.CreateClient("per");
        using (var acknowledged = await per.SendJsonAsync("POST", $"api/pictures/live/alerts/{id}/acknowledge", "{}"))
            Assert.True(acknowledged.IsSuccessStatusCode, await acknowledged.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unsigned_wrongly_signed_malformed_schema_invalid_XXE_oversized_future_and_broken_ring_messages_are_refused_and_change_nothing()
    {
        await using var server = Server();
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        using var outside = new HttpClient { BaseAddress = server.BaseAddress };
        await PlanAsync(anna, "Per Lind");
        var before = await anna.DigestAsync();

        async Task<JsonElement> Refused(int status, HttpResponseMessage response)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            output.WriteLine($"{(int)response.StatusCode}: {problem}");
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return problem;
        }

        using (var unsigned = await PostAsync(outside, Message("u-1"), sender: null, secret: null))
            Assert.Contains("inte signerat", (await Refused(401, unsigned)).GetProperty("detail").GetString());
        using (var wrong = await PostAsync(outside, Message("u-2"), secret: FireSecret))
            Assert.Contains("Signaturen stämmer inte", (await Refused(401, wrong)).GetProperty("detail").GetString());
        using (var unknown = await PostAsync(outside, Message("u-3"), sender: "krisinformation"))
            Assert.Contains("inte känd", (await Refused(401, unknown)).GetProperty("detail").GetString());
        using (var old = await PostAsync(outside, Message("u-4"), at: DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds()))
            Assert.Contains("signera meddelandet på nytt", (await Refused(401, old)).GetProperty("detail").GetString());
        // A signed body changed on the way: the signature no longer holds.
        using (var tampered = await TamperedAsync(outside, Message("u-5")))
            await Refused(401, tampered);

        using (var malformed = await PostAsync(outside, "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x</identifier>"))
            Assert.Contains("inte välformad", (await Refused(400, malformed)).GetProperty("detail").GetString());

        // Schema-invalid: the status misspelt (line 6) and an element CAP does not have (line 9).
        var invalid = Message("u-6").Replace("<status>Actual</status>", "<status>Skarp</status>").Replace("<scope>Public</scope>", "<scope>Public</scope>\n  <prioritet>hög</prioritet>");
        using (var schema = await PostAsync(outside, invalid))
        {
            var errors = (await Refused(400, schema)).GetProperty("errors").GetProperty("cap").EnumerateArray().Select(e => e.GetString()!).ToArray();
            Assert.True(errors.Length >= 2, string.Join("\n", errors));
            Assert.StartsWith("Rad 6, position", errors[0]);
            Assert.Contains("status", errors[0]);
            Assert.StartsWith("Rad 9, position", errors[1]);
            Assert.Contains("prioritet", errors[1]);
        }

        var xxe = """
            <?xml version="1.0"?>
            <!DOCTYPE alert [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&secret;</identifier></alert>
            """;
        using (var entity = await PostAsync(outside, xxe))
        {
            var problem = await Refused(400, entity);
            Assert.Contains("DTD", problem.GetProperty("detail").GetString());
            Assert.StartsWith("Rad 2, position 1:", problem.GetProperty("errors").GetProperty("cap")[0].GetString());
            Assert.DoesNotContain("root:", problem.ToString());
        }

        using (var oversized = await PostAsync(outside, Message("u-7").Replace("Läckage från gasledning", new string('x', 20_000))))
            Assert.Contains("högst 16 kB", (await Refused(413, oversized)).GetProperty("detail").GetString());

        using (var future = await PostAsync(outside, Message("u-8", sent: DateTimeOffset.UtcNow.AddHours(3))))
            Assert.Contains("fram i tiden", (await Refused(400, future)).GetProperty("errors").GetProperty("cap")[0].GetString());

        // A bow tie (the ring crosses itself) and a ring that is not closed.
        using (var bowTie = await PostAsync(outside, Message("u-9", polygon: "59.2460,18.0850 59.2380,18.1000 59.2460,18.1000 59.2380,18.0850 59.2460,18.0850")))
            Assert.Contains("ingen giltig ring", (await Refused(400, bowTie)).GetProperty("errors").GetProperty("cap")[0].GetString());
        using (var open = await PostAsync(outside, Message("u-10", polygon: "59.2460,18.0850 59.2460,18.1000 59.2380,18.1000 59.2380,18.0850")))
            Assert.Contains("ingen sluten ring", (await Refused(400, open)).GetProperty("errors").GetProperty("cap")[0].GetString());

        using (var exercise = await PostAsync(outside, Message("u-11", status: "Exercise")))
            Assert.Contains("övning", (await Refused(422, exercise)).GetProperty("detail").GetString());

        Assert.Equal(before, await anna.DigestAsync());
        Assert.Empty(await AlertsAsync(anna));
    }

    [Fact]
    public async Task An_update_changes_the_earlier_alert_a_cancel_closes_it_and_one_referring_to_an_unknown_message_is_refused()
    {
        await using var server = Server();
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        using var outside = new HttpClient { BaseAddress = server.BaseAddress };
        await PlanAsync(anna, "Per Lind");
        var sent = DateTimeOffset.UtcNow.AddMinutes(-5);
        var reference = $"sos@sosalarm.se,SOS-2026-0500,{sent.ToOffset(TimeSpan.FromHours(1)):yyyy-MM-ddTHH:mm:sszzz}";

        var before = await anna.DigestAsync();
        using (var orphan = await PostAsync(outside, Message("SOS-2026-0501", "Update", reference)))
        {
            var problem = await orphan.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(422, (int)orphan.StatusCode);
            Assert.Contains("SOS-2026-0500 från sos@sosalarm.se", problem.GetProperty("detail").GetString());
            Assert.Contains("inget sådant meddelande har tagits emot", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(before, await anna.DigestAsync());

        using var first = await PostAsync(outside, Message("SOS-2026-0500", sent: sent, severity: "Moderate", urgency: "Expected"));
        var id = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alert").GetString()!;
        Assert.Equal("Warning", (await AlertAsync(anna, id)).GetProperty("severity").GetString());

        // Another sender may not change SOS Alarm's alert.
        using (var foreign = await PostAsync(outside, Message("BF-1", "Update", reference), sender: "raddningstjansten", secret: FireSecret))
            Assert.Equal(403, (int)foreign.StatusCode);

        using (var update = await PostAsync(outside, Message("SOS-2026-0501", "Update", reference, severity: "Extreme", headline: "Gasläcka i Farsta: utrym Farsta centrum")))
            Assert.True(update.IsSuccessStatusCode, await update.Content.ReadAsStringAsync());
        var updated = await AlertAsync(anna, id);
        Assert.Equal(("Gasläcka i Farsta: utrym Farsta centrum", "Critical"), (updated.GetProperty("name").GetString(), updated.GetProperty("severity").GetString()));
        Assert.Equal(["SOS-2026-0500", "SOS-2026-0501"], updated.GetProperty("cap").GetProperty("identifiers").EnumerateArray().Select(i => i.GetString()));
        var afterUpdate = await anna.DigestAsync();
        using (var updateAgain = await PostAsync(outside, Message("SOS-2026-0501", "Update", reference, severity: "Extreme")))
            Assert.True((await updateAgain.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("again").GetBoolean());
        Assert.Equal(afterUpdate, await anna.DigestAsync());

        // The cancel names only the update before it, not the first message: it still finds the alert.
        var updateReference = $"sos@sosalarm.se,SOS-2026-0501,{DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(1)):yyyy-MM-ddTHH:mm:sszzz}";
        using (var cancel = await PostAsync(outside, Message("SOS-2026-0502", "Cancel", updateReference)))
            Assert.True(cancel.IsSuccessStatusCode, await cancel.Content.ReadAsStringAsync());
        Assert.NotEqual(JsonValueKind.Null, (await AlertAsync(anna, id)).GetProperty("clearedAt").ValueKind);
        Assert.Equal(["AlertRaised", "AlertUpdatedFromCap", "AlertCleared"], (await EntriesAsync(anna, id)).Select(e => e.GetProperty("type").GetString()));
        Assert.Single(await AlertsAsync(anna));
    }

    [Fact]
    public async Task An_exercise_message_in_an_exercise_picture_is_marked_OVNING_and_never_touches_the_live_picture()
    {
        await using var server = Server();
        await server.StartAsync();
        using var anna = server.CreateClient("anna");
        using var outside = new HttpClient { BaseAddress = server.BaseAddress };
        await AlertApi.CreateExerciseAsync(anna, "ex-gas", "Gasövning");
        await PlanAsync(anna, "Per Lind", "ex-gas");

        using var posted = await PostAsync(outside, Message("OVN-1", status: "Exercise"), picture: "ex-gas");
        Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync());
        var alert = Assert.Single(await AlertsAsync(anna, "ex-gas"));
        Assert.StartsWith("ÖVNING – ", alert.GetProperty("state").GetProperty("name").GetString());
        Assert.Empty(await AlertsAsync(anna));
    }

    [Fact]
    public async Task A_schema_directory_without_the_CAP_schema_stops_the_start_and_says_so()
    {
        await using var server = Server(new Dictionary<string, string> { ["Lagesbild:CapIntake:SchemaDirectory"] = "/finns/inte" });

        var exitCode = await server.RunUntilExitAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("CAP-v1.2.xsd finns inte i '/finns/inte'", server.Output);
    }

    private static async Task<HttpResponseMessage> TamperedAsync(HttpClient http, string xml)
    {
        var body = Encoding.UTF8.GetBytes(xml);
        var signature = CapIntakeApi.Sign(SosSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body);
        var changed = Encoding.UTF8.GetBytes(xml.Replace("Severe", "Minor"));
        var request = new HttpRequestMessage(HttpMethod.Post, "api/pictures/live/alerts/cap") { Content = new ByteArrayContent(changed) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cap+xml");
        request.Headers.Add(CapIntakeApi.SenderHeader, "sos-alarm");
        request.Headers.Add(CapIntakeApi.SignatureHeader, signature);
        return await http.SendAsync(request);
    }

    private static async Task PlanAsync(HttpClient http, string person, string picture = "live")
    {
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.Serialize(new { shifts = new[] { new { person, from = now.AddHours(-1), to = now.AddHours(12), phone = "070-123 45 67" } } });
        using var answer = await http.SendJsonAsync("PUT", $"api/pictures/{picture}/duty-rosters/tib", body);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement[]> AlertsAsync(HttpClient http, string picture = "live") =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"api/pictures/{picture}/snapshot")).GetProperty("entities").EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == "Alert")];

    private static async Task<JsonElement> AlertAsync(HttpClient http, string id) =>
        (await AlertsAsync(http)).Single(a => a.GetProperty("id").GetString() == id).GetProperty("state");

    private static async Task<JsonElement[]> EntriesAsync(HttpClient http, string id) =>
        [.. (await http.GetFromJsonAsync<JsonElement>($"api/pictures/live/log?entity=Alert/{id}")).GetProperty("entries").EnumerateArray()];
}
