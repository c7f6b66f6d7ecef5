using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>
/// A district's request for a generator followed over HTTP from request to return (EDXL-RM's steps), each refusal
/// a Swedish ProblemDetails that changes nothing, and the time to commitment shown per request and per district.
/// </summary>
public sealed class ResourceRequestTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const string FarstaPoint = "farsta-emma-hokarangen";

    private async Task<JsonElement> SendAsync(HttpClient http, string path, string body)
    {
        var answer = await http.SendJsonAsync("POST", $"api/pictures/live/{path}", body);
        Assert.True(answer.IsSuccessStatusCode, $"{path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        return await answer.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A refused step: its status, its Swedish reason, and the picture unchanged.</summary>
    private async Task<string> RefusedAsync(HttpClient http, string path, string body, HttpStatusCode status)
    {
        var before = await fixture.Http.DigestAsync();
        var answer = await http.SendJsonAsync("POST", $"api/pictures/live/{path}", body);
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == status, $"{path}: expected {(int)status}, got {(int)answer.StatusCode} {text}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await fixture.Http.DigestAsync());
        output.WriteLine($"{(int)status} {path}: {text}");
        return text;
    }

    private static string Request(string id, string point, string kind = "Generator", string? resource = null, int quantity = 1) =>
        JsonSerializer.Serialize(new { id, safetyPoint = point, resourceKind = kind, quantity, needBy = DateTimeOffset.UtcNow.AddHours(3), resource, reason = "Elen borta sedan 06:40; reservkraften räcker inte natten" });

    private async Task<JsonElement> StateAsync(string kind, string id)
    {
        var snapshot = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
        return snapshot.GetProperty("entities").EnumerateArray()
            .Single(r => r.GetProperty("kind").GetString() == kind && r.GetProperty("id").GetString() == id)
            .GetProperty("state").Clone();
    }

    [Fact]
    public async Task A_district_request_for_a_generator_is_followed_from_request_to_return_and_every_wrong_step_is_refused()
    {
        using var sara = fixture.Server.CreateClient("sara");
        using var omar = fixture.Server.CreateClient("omar");
        using var anna = fixture.Server.CreateClient("anna");
        using var polis = fixture.Server.CreateClient("polis");

        Assert.Contains("sitt eget stadsdelsområdes punkter", await RefusedAsync(omar, "resource-requests", Request("rb-omar", FarstaPoint), HttpStatusCode.Forbidden));
        Assert.Contains("finns inte", await RefusedAsync(sara, "resource-requests", Request("rb-ingen", FarstaPoint, resource: "aggregat-99"), HttpStatusCode.BadRequest));
        Assert.Contains("finns inte", await RefusedAsync(sara, "resource-requests", Request("rb-ingen", "farsta-finns-inte"), HttpStatusCode.NotFound));
        await RefusedAsync(polis, "resource-requests", Request("rb-polis", FarstaPoint), HttpStatusCode.Forbidden);

        await SendAsync(sara, "resource-requests", Request("rb-farsta", FarstaPoint));
        Assert.Contains("tilldelar först", await RefusedAsync(sara, "resource-requests/rb-farsta/deliver", "{}", HttpStatusCode.Conflict));
        Assert.Contains("Central krisledning tilldelar", await RefusedAsync(sara, "resource-requests/rb-farsta/commit", """{"resources":["aggregat-1"]}""", HttpStatusCode.Forbidden));
        Assert.Contains("vattentank", await RefusedAsync(anna, "resource-requests/rb-farsta/commit", """{"resources":["vattentank-1"]}""", HttpStatusCode.BadRequest));

        await SendAsync(anna, "resource-requests/rb-farsta/commit", """{"resources":["aggregat-1"]}""");
        var committed = await StateAsync("ResourceRequest", "rb-farsta");
        Assert.Equal("Committed", committed.GetProperty("status").GetString());
        Assert.True(committed.GetProperty("minutesToCommit").GetDouble() >= 0);
        Assert.Equal("rb-farsta", (await StateAsync("Resource", "aggregat-1")).GetProperty("assignment").GetProperty("request").GetString());
        Assert.Contains("två gånger", await RefusedAsync(anna, "resource-requests/rb-farsta/commit", """{"resources":["aggregat-2"]}""", HttpStatusCode.Conflict));

        // The same generator cannot be committed to another point's request while it serves this one.
        await SendAsync(omar, "resource-requests", Request("rb-soder", "sodermalm-tellus", quantity: 2));
        Assert.Contains("redan tilldelad begäran rb-farsta", await RefusedAsync(anna, "resource-requests/rb-soder/commit", """{"resources":["aggregat-1"]}""", HttpStatusCode.Conflict));
        // A commitment refused for one of its resources reserves none of them.
        await RefusedAsync(anna, "resource-requests/rb-soder/commit", """{"resources":["aggregat-2","aggregat-1"]}""", HttpStatusCode.Conflict);
        Assert.Equal(JsonValueKind.Null, (await StateAsync("Resource", "aggregat-2")).GetProperty("assignment").ValueKind);

        await SendAsync(sara, "resource-requests/rb-farsta/deliver", "{}");
        var point = await StateAsync("SafetyPoint", FarstaPoint);
        var generator = await StateAsync("Resource", "aggregat-1");
        Assert.Equal(point.GetProperty("position").ToString(), generator.GetProperty("position").ToString());
        await SendAsync(sara, "resource-requests/rb-farsta/release", """{"reason":"Elen är tillbaka"}""");
        Assert.Contains("Central krisledning", await RefusedAsync(sara, "resource-requests/rb-farsta/return", "{}", HttpStatusCode.Forbidden));
        await SendAsync(anna, "resource-requests/rb-farsta/return", "{}");

        var returned = await StateAsync("Resource", "aggregat-1");
        Assert.Equal(returned.GetProperty("depot").GetProperty("position").ToString(), returned.GetProperty("position").ToString());
        Assert.Equal(JsonValueKind.Null, returned.GetProperty("assignment").ValueKind);
        Assert.Contains("avslutad", await RefusedAsync(anna, "resource-requests/rb-farsta/release", "{}", HttpStatusCode.Conflict));
        // Free again, it may serve the other point.
        await SendAsync(anna, "resource-requests/rb-soder/commit", """{"resources":["aggregat-1"]}""");

        var steps = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/live/log?entity=ResourceRequest/rb-farsta&limit=20");
        var entries = steps.GetProperty("entries").EnumerateArray().ToArray();
        Assert.Equal(["ResourceRequested", "ResourceCommitted", "ResourceRequestStepped", "ResourceRequestStepped", "ResourceRequestStepped"], entries.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["Sara Ek", "Anna Berg", "Sara Ek", "Sara Ek", "Anna Berg"], entries.Select(e => e.GetProperty("actor").GetProperty("name").GetString()));
        Assert.Contains("06:40", entries[0].GetProperty("reason").GetString());

        var followUp = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/live/resource-requests/follow-up");
        var farsta = followUp.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("district").GetString() == "farsta");
        Assert.Equal(JsonValueKind.Number, farsta.GetProperty("medianMinutesToCommit").ValueKind);
        output.WriteLine(followUp.ToString());
    }

    [Fact]
    public async Task A_district_withdraws_its_committed_begaran_and_the_generator_is_free_for_another_point_at_once()
    {
        using var sara = fixture.Server.CreateClient("sara");
        using var omar = fixture.Server.CreateClient("omar");
        using var anna = fixture.Server.CreateClient("anna");
        using var polis = fixture.Server.CreateClient("polis");
        await SendAsync(sara, "resource-requests", Request("rb-aterkallas", "farsta-storforsplan"));
        await SendAsync(anna, "resource-requests/rb-aterkallas/commit", """{"resources":["aggregat-3"]}""");

        const string why = """{"reason":"Elen är tillbaka i Farsta sedan 09:10"}""";
        Assert.Contains("reason", await RefusedAsync(sara, "resource-requests/rb-aterkallas/withdraw", "{}", HttpStatusCode.BadRequest));
        Assert.Contains("sitt eget stadsdelsområdes punkter", await RefusedAsync(omar, "resource-requests/rb-aterkallas/withdraw", why, HttpStatusCode.Forbidden));
        await RefusedAsync(polis, "resource-requests/rb-aterkallas/withdraw", why, HttpStatusCode.Forbidden);
        await SendAsync(sara, "resource-requests/rb-aterkallas/withdraw", why);

        var withdrawn = await StateAsync("ResourceRequest", "rb-aterkallas");
        Assert.Equal("Withdrawn", withdrawn.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, withdrawn.GetProperty("closedAt").ValueKind);
        var generator = await StateAsync("Resource", "aggregat-3");
        Assert.Equal(JsonValueKind.Null, generator.GetProperty("assignment").ValueKind);
        Assert.Equal(generator.GetProperty("depot").GetProperty("position").ToString(), generator.GetProperty("position").ToString());
        Assert.Contains("avslutad (återkallad)", await RefusedAsync(sara, "resource-requests/rb-aterkallas/withdraw", why, HttpStatusCode.Conflict));
        Assert.Contains("avslutad (återkallad)", await RefusedAsync(anna, "resource-requests/rb-aterkallas/deliver", "{}", HttpStatusCode.Conflict));

        // Free again at once: Södermalm's begäran gets the same generator.
        await SendAsync(omar, "resource-requests", Request("rb-efter-aterkallad", "sodermalm-tellus"));
        await SendAsync(anna, "resource-requests/rb-efter-aterkallad/commit", """{"resources":["aggregat-3"]}""");

        // Delivered, it can no longer be withdrawn: the point releases it instead.
        await SendAsync(anna, "resource-requests/rb-efter-aterkallad/deliver", "{}");
        Assert.Contains("Frisläpp", await RefusedAsync(omar, "resource-requests/rb-efter-aterkallad/withdraw", why, HttpStatusCode.Conflict));

        var log = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/live/log?entity=ResourceRequest/rb-aterkallas&limit=20");
        var last = log.GetProperty("entries").EnumerateArray().Last();
        Assert.Equal(("Sara Ek", "Withdrawn"), (last.GetProperty("actor").GetProperty("name").GetString(), last.GetProperty("change").GetProperty("to").GetString()));
        Assert.Contains("09:10", last.GetProperty("reason").GetString());
    }

    /// <summary>The size of the map's join with 20 resources and 50 requests, for the notes (a figure, not a bound).</summary>
    [Fact]
    public async Task The_join_carries_requests_without_their_reasons()
    {
        using var anna = fixture.Server.CreateClient("anna");
        var before = (await anna.GetByteArrayAsync("api/pictures/live/snapshot")).Length;
        for (var i = 0; i < 10; i++)
        {
            await SendAsync(anna, "resources", JsonSerializer.Serialize(new
            {
                id = $"join-resurs-{i}", resourceKind = "Staff", name = $"Personalgrupp {i}",
                depot = new { name = "Stadshuset", position = new { lon = 18.054, lat = 59.3275 } },
            }));
        }
        const string reason = "LÅNGTEXT-ORSAK ";
        for (var i = 0; i < 50; i++)
        {
            await SendAsync(anna, "resource-requests", JsonSerializer.Serialize(new
            {
                id = $"join-begaran-{i}", safetyPoint = "skarholmen-masholmstorget", resourceKind = "Staff", quantity = 2,
                needBy = DateTimeOffset.UtcNow.AddHours(5), reason = string.Concat(Enumerable.Repeat(reason, 60)),
            }));
        }
        var snapshot = await anna.GetStringAsync("api/pictures/live/snapshot");
        var resources = JsonDocument.Parse(snapshot).RootElement.GetProperty("entities").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == "Resource");
        Assert.True(resources >= 20, $"{resources} resources");
        Assert.DoesNotContain("LÅNGTEXT-ORSAK", snapshot);
        output.WriteLine($"join snapshot: {before:N0} bytes with the demo's 10 resources; {System.Text.Encoding.UTF8.GetByteCount(snapshot):N0} bytes with {resources} resources and 50 more requests");
    }
}
