using System.Net;
using System.Net.Http.Json;
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
}
