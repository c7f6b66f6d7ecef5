using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

public sealed class ExerciseAboutTests(ReplayServer fixture) : IClassFixture<ReplayServer>
{
    [Fact]
    public async Task An_exercise_keeps_the_name_and_description_it_was_created_with()
    {
        var created = await fixture.Http.SendJsonAsync("POST", "api/pictures",
            """{"id":"ex-stadso","name":"STADSÖ 24","description":"Elavbrott i Söderort en vinternatt; trygghetspunkter öppnas."}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var about = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/ex-stadso/about");
        Assert.Equal("STADSÖ 24", about.GetProperty("name").GetString());
        Assert.Equal("Elavbrott i Söderort en vinternatt; trygghetspunkter öppnas.", about.GetProperty("description").GetString());
        Assert.Equal("Anna Berg", about.GetProperty("createdBy").GetString());

        // Created again under the same id: refused, and the first name stays.
        var again = await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-stadso","name":"Något annat"}""");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("STADSÖ 24", (await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/ex-stadso/about")).GetProperty("name").GetString());

        var live = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/live/about");
        Assert.Equal(JsonValueKind.Null, live.GetProperty("name").ValueKind);
    }

    [Fact]
    public async Task A_description_that_is_too_long_is_refused_and_no_exercise_is_created()
    {
        var response = await fixture.Http.SendJsonAsync("POST", "api/pictures",
            JsonSerializer.Serialize(new { id = "ex-lang", name = "Lång", description = new string('x', 2001) }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("description", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync("api/pictures/ex-lang/about")).StatusCode);
    }

    [Fact]
    public async Task An_exercise_keeps_its_start_and_the_participants_invited_by_role_and_says_it_started_from_the_configuration()
    {
        var created = await fixture.Http.SendJsonAsync("POST", "api/pictures", """
            {"id":"ex-deltagare","name":"STADSÖ 27","startsAt":"2027-03-12T08:00:00+01:00",
             "participants":[{"role":"central"},{"role":"district","district":"farsta","name":"Farsta lokala krisledning"},{"role":"observer","name":"Polisregion Stockholm"}]}
            """);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var about = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/ex-deltagare/about");
        Assert.Equal(DateTimeOffset.Parse("2027-03-12T07:00:00Z"), about.GetProperty("startsAt").GetDateTimeOffset());
        var participants = about.GetProperty("participants").EnumerateArray().ToArray();
        Assert.Equal(["central", "district", "observer"], participants.Select(p => p.GetProperty("role").GetString()));
        Assert.Equal("farsta", participants[1].GetProperty("district").GetString());
        Assert.Equal("Farsta lokala krisledning", participants[1].GetProperty("name").GetString());
        Assert.Equal("Configuration", about.GetProperty("startedFrom").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task An_invitation_to_an_unknown_district_is_refused_by_field_and_no_exercise_is_created()
    {
        var response = await fixture.Http.SendJsonAsync("POST", "api/pictures",
            """{"id":"ex-felinbjudan","name":"Fel","participants":[{"role":"district","district":"atlantis"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("participants[0].district", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Http.GetAsync("api/pictures/ex-felinbjudan/about")).StatusCode);
    }

    [Fact]
    public async Task An_exercise_started_from_a_saved_picture_file_says_so_and_is_then_named_and_given_participants()
    {
        using var export = await fixture.Http.GetAsync("api/pictures/live/loggbok/export");
        var file = await export.Content.ReadAsStringAsync();
        var imported = await fixture.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "api/pictures/ex-utgangslage/loggbok/import")
        {
            Content = new StringContent(file, Encoding.UTF8, "application/x-ndjson"),
        });
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);

        var described = await fixture.Http.SendJsonAsync("PUT", "api/pictures/ex-utgangslage/about",
            """{"name":"Övning från sparat läge","participants":[{"role":"sector","sector":"energiforsorjning"}]}""");
        Assert.Equal(HttpStatusCode.OK, described.StatusCode);

        var about = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/ex-utgangslage/about");
        Assert.Equal("Övning från sparat läge", about.GetProperty("name").GetString());
        Assert.Equal("File", about.GetProperty("startedFrom").GetProperty("kind").GetString());
        Assert.Equal("live", about.GetProperty("startedFrom").GetProperty("fromPicture").GetString());
        Assert.Equal("energiforsorjning", about.GetProperty("participants")[0].GetProperty("sector").GetString());

        // The live picture is no exercise, and a district operator does not run one.
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.Http.SendJsonAsync("PUT", "api/pictures/live/about", """{"name":"Live"}""")).StatusCode);
        using var sara = fixture.Server.CreateClient("sara");
        Assert.Equal(HttpStatusCode.Forbidden, (await sara.SendJsonAsync("PUT", "api/pictures/ex-utgangslage/about", """{"name":"Sara"}""")).StatusCode);
    }

    private const string Heading = "id;tid;leverans;från;till;text;förväntad åtgärd;mål";

    private static Task<HttpResponseMessage> ImportScenarioAsync(HttpClient http, string picture, string csv) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"api/pictures/{picture}/scenario")
        {
            Content = new ByteArrayContent([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]) { Headers = { { "Content-Type", "text/csv" } } },
        });

    [Fact]
    public async Task A_two_hundred_row_scenario_imports_in_one_go_and_only_exercise_control_sees_it()
    {
        Assert.Equal(HttpStatusCode.Created, (await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-msel","name":"MSEL"}""")).StatusCode);
        var csv = new StringBuilder(Heading).Append("\r\n");
        for (var i = 1; i <= 200; i++)
            csv.Append($"I-{i:000};{i / 60:00}:{i % 60:00};meddelande;SOS Alarm;{(i % 2 == 0 ? "farsta" : "lokal-farsta")};\"Inspel {i}; ring TiB\";Aktivera;Mål {i % 3}\r\n");
        csv.Append("I-201;03:30;sektor-utslagen;Elbolaget;energiforsorjning;Elnätet i Söderort är nere.;Rapportera läget;Mål 1\r\n");
        csv.Append("I-202;03:40;punkt-utan-el;Elbolaget;farsta-storforsplan;Reservkraften startar inte.;Rapportera läget;Mål 1\r\n");

        var response = await ImportScenarioAsync(fixture.Http, "ex-msel", csv.ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var imported = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(202, imported.GetProperty("injects").GetInt32());
        Assert.Equal(["Mål 0", "Mål 1", "Mål 2"], imported.GetProperty("objectives").EnumerateArray().Select(o => o.GetString()));
        var scenario = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/ex-msel/scenario");
        var first = scenario.GetProperty("injects")[0];
        Assert.Equal(("I-001", "00:01:00", "Inspel 1; ring TiB", "CrisisBody"),
            (first.GetProperty("id").GetString(), first.GetProperty("at").GetString(), first.GetProperty("text").GetString(), first.GetProperty("toKind").GetString()));

        // The participants do not see what is coming; nor do partners.
        foreach (var user in new[] { "sara", "polis", "per" })
        {
            using var other = fixture.Server.CreateClient(user);
            Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("api/pictures/ex-msel/scenario")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await ImportScenarioAsync(other, "ex-msel", Heading)).StatusCode);
        }
    }

    [Fact]
    public async Task A_scenario_with_errors_is_refused_with_every_error_by_row_and_column_and_the_scenario_before_it_stays()
    {
        Assert.Equal(HttpStatusCode.Created, (await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-felmsel","name":"Fel i MSEL"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ImportScenarioAsync(fixture.Http, "ex-felmsel", $"{Heading}\nI-01;00:10;meddelande;SOS Alarm;farsta;Första;;\n")).StatusCode);

        var response = await ImportScenarioAsync(fixture.Http, "ex-felmsel",
            "id,tid,leverans,från,till,text,förväntad åtgärd,mål\n" +
            "I-01,00:15,meddelande,SOS Alarm,farsta,Rätt,,\n" +
            "I-02,kvart över,meddelande,SOS Alarm,farsta,Ingen tid,,\n" +
            "I-03,00:20,meddelande,SOS Alarm,atlantis,Okänd mottagare,,\n" +
            "I-01,00:30,meddelande,Polisen,farsta,Samma id,,\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Scenariot kan inte läsas in", problem.GetProperty("title").GetString());
        Assert.Equal(["rad 3, kolumn B (tid)", "rad 4, kolumn E (till)", "rad 5, kolumn A (id)"],
            problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal([3, 4, 5], problem.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("row").GetInt32()));
        var kept = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/ex-felmsel/scenario");
        Assert.Equal("Första", Assert.Single(kept.GetProperty("injects").EnumerateArray()).GetProperty("text").GetString());

        // A missing column, and the live picture, which has no scenario.
        var missing = await ImportScenarioAsync(fixture.Http, "ex-felmsel", "id;leverans;från;till;text;förväntad åtgärd;mål\n");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("rad 1, tid", out _));
        Assert.Equal(HttpStatusCode.Conflict, (await ImportScenarioAsync(fixture.Http, "live", Heading)).StatusCode);
    }
}
