using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>
/// What goes out to residents: the public list and the CAP 1.2 messages. Every message is
/// validated against the OASIS schema in ../shared/standards, and nothing the city keeps
/// internal may be in any of it.
/// </summary>
public sealed class PublicCapTests(ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";

    private static readonly XmlSchemaSet Schema = LoadSchema();

    private static XmlSchemaSet LoadSchema()
    {
        var set = new XmlSchemaSet();
        set.Add(Cap.NamespaceName, Path.Combine(RepoPaths.SharedStandards, "cap", "CAP-v1.2.xsd"));
        set.Compile();
        return set;
    }

    /// <summary>
    /// A point walked through every status, with every field set: marked internal notes, stocks,
    /// staff and radios that only the city may know. Residents see its public facts, never those.
    /// </summary>
    [Fact]
    public async Task A_point_walked_through_every_state_and_field_gives_valid_cap_messages_with_nothing_internal()
    {
        const string point = "skarpnack-bagarmossen";
        const string secret = "HEMLIGT-7d3f";
        var seqBefore = (await fixture.Http.DigestAsync()).Seq;
        async Task SendAsync(string method, string path, string body)
        {
            var answer = await fixture.Http.SendJsonAsync(method, $"api/pictures/live/safety-points/{point}{path}", body);
            Assert.True(answer.IsSuccessStatusCode, $"{method} {path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }
        string Internal(string what) => $$""","reason":"{{secret}} {{what}}","internal":true""";
        var publicTexts = new List<string>();

        await SendAsync("POST", "/status", $$"""{"status":"Activating"{{Internal("aktivering")}}}""");
        await SendAsync("PUT", "/resources", $$"""{"backupPower":{"available":true,"fuelHours":123.5},"waterLitres":98765,"staff":417,"frgVolunteers":389,"radios":173{{Internal("resurser")}}}""");
        await SendAsync("POST", "/condition", $$"""{"power":{"source":"Backup","fuelHours":77.25,"refuelDue":"2031-07-19T08:42:00Z"},"heat":{"indoorCelsius":16.75},"water":{"source":"Stored","litres":86421},"communications":{"phone":false,"internet":true,"rakel":false},"overnightPlaces":359,"accessibility":{"stepFree":true,"accessibleToilet":false},"staffing":{"staff":293,"frgVolunteers":281,"nextShift":"2031-07-19T18:00:00Z"}{{Internal("läge")}}}""");
        await SendAsync("POST", "/status", $$"""{"status":"Open"{{Internal("öppning")}}}""");
        await SendAsync("PUT", "/visitors", $$"""{"visitors":10000{{Internal("besökare")}}}""");
        await SendAsync("PATCH", "", $$"""{"residentInfo":{"openingHours":"Dygnet runt","directions":"Ingång från torget"}{{Internal("uppgifter")}}}""");
        // A generator asked for, committed and delivered to the point: resources and requests are the city's alone.
        async Task ResourceAsync(string path, string body)
        {
            var answer = await fixture.Http.SendJsonAsync("POST", $"api/pictures/live/{path}", body);
            Assert.True(answer.IsSuccessStatusCode, $"{path}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }
        await ResourceAsync("resource-requests", $$"""{"id":"rb-capwalk","safetyPoint":"{{point}}","resourceKind":"Generator","quantity":1,"needBy":"{{DateTimeOffset.UtcNow.AddHours(2):O}}"{{Internal("begäran")}}}""");
        await ResourceAsync("resource-requests/rb-capwalk/commit", $$"""{"resources":["aggregat-3"]{{Internal("tilldelning")}}}""");
        await ResourceAsync("resource-requests/rb-capwalk/deliver", $$"""{"reason":"{{secret}} levererad","internal":true}""");
        publicTexts.AddRange(["Dygnet runt", "Ingång från torget"]);
        await SendAsync("POST", "/status", $$"""{"status":"Limited","limitations":"Inget varmvatten"{{Internal("begränsning")}}}""");
        publicTexts.Add("Inget varmvatten");
        using var resident = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        await resident.WaitForPublicViewAsync((await fixture.Http.DigestAsync()).Seq);
        var whileLimited = await resident.GetStringAsync("api/public/safety-points");
        await SendAsync("PUT", "/visitors", $$"""{"visitors":3{{Internal("färre")}}}""");
        await SendAsync("POST", "/status", $$"""{"status":"Closing","referredTo":"Hänvisningsintern 4711"{{Internal("stängning")}}}""");
        await SendAsync("PUT", "/visitors", $$"""{"visitors":0{{Internal("tomt")}}}""");
        await SendAsync("POST", "/status", $$"""{"status":"Closed"{{Internal("stängd")}}}""");

        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        await anonymous.WaitForPublicViewAsync((await fixture.Http.DigestAsync()).Seq);
        var index = (await anonymous.GetFromJsonAsync<JsonElement[]>($"api/public/cap?afterSeq={seqBefore}"))!
            .Where(m => m.GetProperty("safetyPoint").GetString() == point).ToArray();
        var documents = new List<XDocument>();
        foreach (var message in index)
        {
            var answer = await anonymous.GetAsync(message.GetProperty("url").GetString()!.TrimStart('/'));
            Assert.Equal("application/cap+xml", answer.Content.Headers.ContentType!.MediaType);
            var xml = await answer.Content.ReadAsStringAsync();
            Validate(xml);
            documents.Add(XDocument.Parse(xml));
            output.WriteLine($"{message.GetProperty("msgType").GetString(),-7} {message.GetProperty("headline").GetString()}");
        }

        var everything = whileLimited + string.Join("\n", documents.Select(d => d.ToString()));
        foreach (var leak in new[] { secret, "Hänvisningsintern", "2031-07-19", "aggregat-3", "rb-capwalk", "Reservkraftverk", "Generator" })
            Assert.DoesNotContain(leak, everything);
        // The city's figures, looked for outside the times every answer carries (whose fractions of a second may hold any digits).
        var figures = Regex.Replace(everything, @"\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)?", "<tid>");
        foreach (var leak in new[] { "98765", "417", "389", "173", "123.5", "123,5", "77.25", "77,25", "16.75", "16,75", "86421", "359", "293", "281" })
            Assert.DoesNotContain(leak, figures);
        Assert.All(publicTexts, text => Assert.Contains(text, everything));
        // Opens (Alert), opens fully, fills up, tells more, is limited, has room again, closes down, and is gone (Cancel).
        Assert.Equal(["Alert", "Update", "Update", "Update", "Update", "Update", "Update", "Cancel"], index.Select(m => m.GetProperty("msgType").GetString()));
        Assert.All(documents, d => Assert.Equal("Actual", d.Root!.Element(Cap + "status")!.Value));
        // Each update refers to the message before it about the same point.
        for (var i = 1; i < documents.Count; i++)
            Assert.Contains(documents[i - 1].Root!.Element(Cap + "identifier")!.Value, documents[i].Root!.Element(Cap + "references")!.Value);
    }

    [Fact]
    public async Task An_exercise_gives_only_exercise_messages_and_none_of_them_reach_residents()
    {
        var created = await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-cap","name":"CAP-övning"}""");
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.Conflict);
        await fixture.Http.ChangeStatusAsync("jarva-kista", "Activating", picture: "ex-cap");
        await fixture.Http.ChangeStatusAsync("jarva-kista", "Open", picture: "ex-cap");

        // The messages follow the exercise's live feed, a few milliseconds behind the acknowledgement.
        var index = (await fixture.Http.GetFromJsonAsync<JsonElement[]>("api/pictures/ex-cap/cap"))!;
        for (var tries = 0; index.Length < 2 && tries < 100; tries++)
        {
            await Task.Delay(50);
            index = (await fixture.Http.GetFromJsonAsync<JsonElement[]>("api/pictures/ex-cap/cap"))!;
        }
        var documents = new List<XDocument>();
        foreach (var message in index)
        {
            var xml = await fixture.Http.GetStringAsync(message.GetProperty("url").GetString()!.TrimStart('/'));
            Validate(xml);
            documents.Add(XDocument.Parse(xml));
        }
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        var residents = await anonymous.GetStringAsync("api/public/cap");

        Assert.Equal(2, documents.Count);
        Assert.All(documents, d => Assert.Equal("Exercise", d.Root!.Element(Cap + "status")!.Value));
        Assert.All(documents, d => Assert.StartsWith("ÖVNING", d.Root!.Element(Cap + "info")!.Element(Cap + "headline")!.Value));
        Assert.DoesNotContain("ex-cap", residents);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"api/public/cap/{index[0].GetProperty("identifier").GetString()}")).StatusCode);
    }

    private static void Validate(string xml)
    {
        var problems = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Schema };
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity}: {e.Message}");
        using (var reader = XmlReader.Create(new StringReader(xml), settings))
            while (reader.Read()) { }
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + xml);
    }
}
