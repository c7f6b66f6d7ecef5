using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.AspNetCore.SignalR;

namespace Lagesbild.Server.Tests;

public sealed class BadInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    public static TheoryData<string, string, string, string, int, string> Cases => new()
    {
        // name, method, path, body, expected status, a word the answer must contain
        { "unknown point", "PUT", "safety-points/finns-inte/visitors", """{"visitors":3}""", 404, "finns inte" },
        { "unknown district", "PUT", "districts/atlantis/situation", """{"situation":"Serious"}""", 404, "finns inte" },
        { "unknown picture", "PUT", "../ex-finns-inte/safety-points/farsta-storforsplan/visitors", """{"visitors":3}""", 404, "finns inte" },
        { "id with capitals", "PUT", "safety-points/Farsta/visitors", """{"visitors":3}""", 400, "id" },
        { "transition that makes no sense", "POST", "safety-points/farsta-storforsplan/status", """{"status":"Closed"}""", 409, "vilande" },
        { "limited without saying what", "POST", "safety-points/farsta-storforsplan/status", """{"status":"Limited"}""", 409, "vilande" },
        { "visitors at a closed point", "PUT", "safety-points/farsta-storforsplan/visitors", """{"visitors":3}""", 409, "besökare" },
        { "negative visitors", "PUT", "safety-points/farsta-storforsplan/visitors", """{"visitors":-1}""", 400, "visitors" },
        { "fuel hours out of range", "PUT", "safety-points/farsta-storforsplan/resources", """{"backupPower":{"available":true,"fuelHours":1000},"waterLitres":1,"staff":1,"frgVolunteers":0,"radios":0}""", 400, "fuelHours" },
        { "tier out of range", "PATCH", "safety-points/farsta-storforsplan", """{"tier":7}""", 400, "tier" },
        { "position outside its district", "PATCH", "safety-points/farsta-storforsplan", """{"position":{"lon":17.95,"lat":59.40}}""", 400, "utanför" },
        { "unknown status", "POST", "safety-points/farsta-storforsplan/status", """{"status":"Halfopen"}""", 400, "status" },
        { "status as a number", "POST", "safety-points/farsta-storforsplan/status", """{"status":2}""", 400, "status" },
        { "unknown field", "PUT", "safety-points/farsta-storforsplan/visitors", """{"visitors":3,"admin":true}""", 400, "admin" },
        { "malformed JSON", "PUT", "safety-points/farsta-storforsplan/visitors", """{"visitors": 3""", 400, "JSON" },
        { "empty body", "PUT", "safety-points/farsta-storforsplan/visitors", "", 400, "JSON" },
        { "null body", "PUT", "safety-points/farsta-storforsplan/visitors", "null", 400, "null" },
        { "string where a number belongs", "PUT", "safety-points/farsta-storforsplan/visitors", """{"visitors":"many"}""", 400, "visitors" },
        { "city level without reason", "PUT", "city/level", """{"level":"HeightenedAlert","decidedBy":"Regeringen"}""", 400, "reason" },
        { "city level unchanged", "PUT", "city/level", """{"level":"Normal","decidedBy":"TiB","reason":"test"}""", 409, "normalläge" },
        { "sector with unknown district", "PUT", "sectors/energiforsorjning/status", """{"status":"Disturbed","affectedDistricts":["atlantis"],"needs":null,"prognosis":null}""", 400, "atlantis" },
        { "register an existing point", "POST", "safety-points", """{"id":"farsta-storforsplan","district":"farsta","name":"X","address":"Y","position":{"lon":18.092,"lat":59.2433},"tier":1,"capacity":10}""", 409, "finns redan" },
        { "text too long", "PUT", "districts/farsta/duty-contact", $$"""{"name":"{{new string('x', 5000)}}","phone":"08-508 000 00","function":"TiB"}""", 400, "name" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_gets_a_clear_4xx_and_changes_nothing(string name, string method, string path, string body, int status, string mentions)
    {
        var before = await fixture.Http.DigestAsync();

        var response = await fixture.Http.SendJsonAsync(method, "api/pictures/live/" + path, body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mentions, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await fixture.Http.DigestAsync());
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_and_changes_nothing()
    {
        var before = await fixture.Http.DigestAsync();
        var body = $$"""{"visitors":3,"padding":"{{new string(' ', 200_000)}}"}""";
        var response = await fixture.Http.SendJsonAsync("PUT", "api/pictures/live/safety-points/farsta-storforsplan/visitors", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("64 KB", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await fixture.Http.DigestAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_refused_with_415()
    {
        var response = await fixture.Http.SendJsonAsync("PUT", "api/pictures/live/safety-points/farsta-storforsplan/visitors", "visitors=3", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Bad_commands_over_the_hub_are_refused_with_the_same_reasons_and_change_nothing()
    {
        await using var client = new LiveClient(fixture.Server.BaseAddress);
        await client.ConnectAsync();
        var before = await fixture.Http.DigestAsync();

        var unknown = await Assert.ThrowsAsync<HubException>(() => client.SendAsync("finns-inte", new { type = "ReportSafetyPointVisitors", visitors = 3 }));
        Assert.Contains("404", unknown.Message);
        var transition = await Assert.ThrowsAsync<HubException>(() => client.SendAsync("farsta-storforsplan", new { type = "ChangeSafetyPointStatus", status = "Closed" }));
        Assert.Contains("409", transition.Message);
        Assert.Contains("vilande", transition.Message);
        var range = await Assert.ThrowsAsync<HubException>(() => client.SendAsync("farsta-storforsplan", new { type = "ReportSafetyPointVisitors", visitors = -5 }));
        Assert.Contains("visitors", range.Message);
        var noType = await Assert.ThrowsAsync<HubException>(() => client.SendAsync("farsta-storforsplan", new { visitors = 5 }));
        Assert.Contains("command", noType.Message);

        Assert.Equal(before, await fixture.Http.DigestAsync());
    }

    [Fact]
    public async Task The_openapi_document_describes_every_command()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Contains("/api/pictures/{picture}/safety-points/{id}/status", paths);
        Assert.Contains("/api/pictures/{picture}/city/level", paths);
        Assert.Contains("/api/pictures/{picture}/log", paths);
        Assert.True(paths.Length >= 18, string.Join(", ", paths));
    }
}
