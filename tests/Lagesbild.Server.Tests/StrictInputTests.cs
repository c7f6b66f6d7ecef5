using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lagesbild.Testing;
using Microsoft.AspNetCore.SignalR;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>
/// One body, one reading: keys once, names and values only as documented, and every refusal
/// in the user's words, over HTTP and over the hub alike.
/// </summary>
public sealed class StrictInputTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    /// <summary>What a .NET type or serializer detail looks like in a message.</summary>
    private static readonly Regex CodeNames = new(@"Lagesbild\.|System\.|Nullable|`1|\$type|could not be converted|\.NET", RegexOptions.CultureInvariant);

    public static TheoryData<string, string, string, string> Ambiguous => new()
    {
        // name, route, body, what the refusal must name
        { "a key given twice", "safety-points/farsta-storforsplan/resources", """{"backupPower":{"available":true,"fuelHours":5},"waterLitres":1,"waterLitres":900,"staff":1,"frgVolunteers":0,"radios":0}""", "waterLitres" },
        { "a property name in another case", "districts/farsta/situation", """{"Situation":"Strained"}""", "Situation" },
        { "an enum value in another case", "districts/farsta/situation", """{"situation":"strained"}""", "situation" },
        { "a key twice in a dictionary", "safety-points/farsta-storforsplan/capabilities", """{"capabilities":{"Heat":"Available","Heat":"Unavailable"}}""", "Heat" },
        { "an enum dictionary key in another case", "safety-points/farsta-storforsplan/capabilities", """{"capabilities":{"heat":"Available"}}""", "heat" },
        { "the command's kind", "safety-points/farsta-storforsplan/resources", """{"backupPower":{"available":true,"fuelHours":5},"waterLitres":1,"staff":1,"frgVolunteers":0,"radios":0,"kind":"City"}""", "kind" },
    };

    [Theory]
    [MemberData(nameof(Ambiguous))]
    public async Task A_body_that_could_be_read_two_ways_is_refused_over_http_and_names_the_field(string name, string route, string body, string field)
    {
        var before = await fixture.Http.DigestAsync();

        var response = await fixture.Http.SendJsonAsync("PUT", "api/pictures/live/" + route, body);

        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{name}: {(int)response.StatusCode} {text}");
        Assert.True(400 == (int)response.StatusCode, $"{name}: {text}");
        Assert.Contains(field, text);
        Assert.DoesNotMatch(CodeNames, text);
        Assert.Equal(before, await fixture.Http.DigestAsync());
    }

    [Theory]
    [MemberData(nameof(Ambiguous))]
    public async Task A_command_that_could_be_read_two_ways_is_refused_over_the_hub_and_names_the_field(string name, string route, string body, string field)
    {
        await using var client = new LiveClient(fixture.Server.BaseAddress, reconnect: false);
        await client.ConnectAsync();
        var before = await fixture.Http.DigestAsync();
        var type = route.Split('/')[2] switch
        {
            "resources" => "ReportSafetyPointResources",
            "situation" => "SetDistrictSituation",
            _ => "SetSafetyPointCapabilities",
        };
        // JsonDocument keeps a key given twice, and the client writes it as it stands.
        var command = JsonDocument.Parse($$"""{"type":"{{type}}",{{body[1..]}}""").RootElement;

        var refusal = await Assert.ThrowsAsync<HubException>(() => client.SendAsync(route.Split('/')[1], command));

        output.WriteLine($"{name}: {refusal.Message}");
        Assert.Contains("\"status\":400", refusal.Message);
        Assert.Contains(field, refusal.Message);
        Assert.DoesNotMatch(CodeNames, refusal.Message);
        Assert.Equal(before, await fixture.Http.DigestAsync());
    }

    public static TheoryData<string, string, string?> Refused => new()
    {
        // method, path (under api/), body
        { "PUT", "pictures/live/city/level", """{"level":5,"decidedBy":"x","reason":"y"}""" },
        { "PUT", "pictures/live/city/level", """[1]""" },
        { "PUT", "pictures/live/crisis-bodies/lokal-farsta/next-meeting", """{"at":"soon","place":"Stadshuset"}""" },
        { "PUT", "pictures/live/crisis-bodies/lokal-farsta/on-duty", """{"people":{}}""" },
        { "PUT", "pictures/live/crisis-bodies/lokal-farsta/on-duty", """{"people":[{"name":1,"role":"x"}]}""" },
        { "PUT", "pictures/live/safety-points/farsta-storforsplan/visitors", """{"visitors":1.5}""" },
        { "PUT", "pictures/live/safety-points/farsta-storforsplan/visitors", """{"visitors":1,"$type":"Command"}""" },
        { "PUT", "pictures/live/safety-points/farsta-storforsplan/visitors", """{"visitors":1""" },
        { "POST", "pictures/live/safety-points", """{"id":"x","position":"here"}""" },
        { "POST", "pictures", """{"id":5}""" },
        { "POST", "dev/sign-in", """{"user":5}""" },
        { "GET", "pictures/live/log?from=yesterday", null },
        { "GET", "pictures/live/log?to=1e5", null },
        { "GET", "pictures/live/log?limit=many", null },
        { "GET", "pictures/live/log?afterSeq=-x", null },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_refusal_over_http_names_no_code(string method, string path, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "api/" + path);
        if (body is not null)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await fixture.Http.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{method} {path}: {(int)response.StatusCode} {text}");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.DoesNotMatch(CodeNames, text);
    }

    public static TheoryData<string> RefusedOverTheHub => new()
    {
        """{"type":"ChangeCityLevel","level":5}""",
        """{"type":"ChangeCityLevel","level":"normal","decidedBy":"x","reason":"y"}""",
        """{"type":"DropDatabase"}""",
        """{"type":"Command"}""",
        """{"visitors":1}""",
        """{"type":"ReportSafetyPointVisitors","$type":"Command"}""",
        """{"type":"ScheduleCrisisBodyMeeting","at":true}""",
        """[{"type":"ReportSafetyPointVisitors"}]""",
        "42",
    };

    [Theory]
    [MemberData(nameof(RefusedOverTheHub))]
    public async Task A_refusal_over_the_hub_names_no_code(string command)
    {
        await using var client = new LiveClient(fixture.Server.BaseAddress, reconnect: false);
        await client.ConnectAsync();

        var refusal = await Assert.ThrowsAsync<HubException>(() => client.SendAsync("lokal-farsta", JsonDocument.Parse(command).RootElement));

        output.WriteLine($"{command}: {refusal.Message}");
        Assert.Contains("\"status\":400", refusal.Message);
        Assert.DoesNotMatch(CodeNames, refusal.Message);
    }

    [Theory]
    [InlineData("""{"id":"ex-namnlos"}""")]
    [InlineData("""{"id":"ex-namnlos","name":""}""")]
    [InlineData("""{"id":"ex-namnlos","name":"\u200B\u200D\uFEFF"}""")]
    [InlineData("""{"id":"ex-namnlos","name":"\u202Egnp.exe"}""")]
    public async Task An_exercise_without_a_visible_name_is_not_created(string body)
    {
        var response = await fixture.Http.SendJsonAsync("POST", "api/pictures", body);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(400 == (int)response.StatusCode, text);
        Assert.Contains("\"name\"", text);
        Assert.Equal(404, (int)(await fixture.Http.GetAsync("api/pictures/ex-namnlos/snapshot")).StatusCode);
    }

    [Fact]
    public async Task An_exercise_with_a_name_is_created()
    {
        var response = await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-namngiven","name":"Övning Söderort"}""");

        Assert.Equal(201, (int)response.StatusCode);
    }

    /// <summary>
    /// Every field the document lists for a command is one the server reads: a value of the
    /// wrong shape in it alone is refused as unreadable JSON at that very field. A field the
    /// server ignored (as "kind" was) or refused as unknown would fail here.
    /// </summary>
    [Fact]
    public async Task The_openapi_document_lists_only_fields_the_server_reads()
    {
        var document = await fixture.Http.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var checkedFields = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/pictures/{picture}/", StringComparison.Ordinal)))
        foreach (var operation in path.Value.EnumerateObject())
        {
            // Commands take JSON; a loggbok file (NDJSON) is read line by line and checked by PictureFileTests.
            if (!operation.Value.TryGetProperty("requestBody", out var requestBody) || !requestBody.GetProperty("content").TryGetProperty("application/json", out var json))
                continue;
            var reference = json.GetProperty("schema").GetProperty("$ref").GetString()!;
            var schema = schemas.GetProperty(reference.Split('/')[^1]);
            var route = path.Name.Replace("{picture}", "live").TrimStart('/').Replace("{id}", path.Name switch
            {
                var p when p.Contains("/districts/") => "farsta",
                var p when p.Contains("/sectors/") => "energiforsorjning",
                var p when p.Contains("/crisis-bodies/") => "lokal-farsta",
                _ => "farsta-storforsplan",
            });
            var fields = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToArray();
            Assert.DoesNotContain("kind", fields);
            Assert.DoesNotContain("creates", fields);
            foreach (var field in fields)
            {
                var response = await fixture.Http.SendJsonAsync(operation.Name.ToUpperInvariant(), route, $$"""{"{{field}}":[[]]}""");
                var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
                var errors = answer.TryGetProperty("errors", out var e) ? e.EnumerateObject().Select(p => p.Name).ToArray() : [];
                Assert.True(answer.GetProperty("title").GetString() == "Ogiltig JSON" && errors.Any(k => k == field || k.StartsWith(field + "[", StringComparison.Ordinal) || k.StartsWith(field + ".", StringComparison.Ordinal)),
                    $"{operation.Name} {path.Name}: the document lists '{field}', but the server answered {answer}");
                checkedFields++;
            }
        }
        output.WriteLine($"{checkedFields} documented command fields, each read by the server");
        Assert.True(checkedFields > 40, $"only {checkedFields} fields checked");
    }
}
