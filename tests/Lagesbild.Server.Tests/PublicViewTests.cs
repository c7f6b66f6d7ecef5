using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>What residents see of an open trygghetspunkt, without signing in.</summary>
public sealed class PublicViewTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_open_example_point_is_marked_as_an_example_and_a_real_one_is_not()
    {
        // In the demo data Brommaplan is invented, Hökarängen a real point from the press.
        await fixture.Http.ChangeStatusAsync("bromma-brommaplan", "Activating");
        await fixture.Http.ChangeStatusAsync("farsta-emma-hokarangen", "Activating");
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };

        var points = await anonymous.GetFromJsonAsync<JsonElement[]>("api/public/safety-points");

        Assert.True(points!.Single(p => p.GetProperty("id").GetString() == "bromma-brommaplan").GetProperty("example").GetBoolean());
        Assert.False(points!.Single(p => p.GetProperty("id").GetString() == "farsta-emma-hokarangen").GetProperty("example").GetBoolean());
    }

    [Fact]
    public async Task Residents_see_every_text_the_district_wrote_for_them_and_nothing_once_cleared()
    {
        // Every text of ResidentInfo, by its name on the wire: a new one is checked here without a new test.
        var fields = typeof(ResidentInfo).GetConstructors().Single().GetParameters().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!)).ToArray();
        await fixture.Http.ChangeStatusAsync("farsta-storforsplan", "Activating");
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        async Task<JsonElement> PointAsync() =>
            (await anonymous.GetFromJsonAsync<JsonElement[]>("api/public/safety-points"))!.Single(p => p.GetProperty("id").GetString() == "farsta-storforsplan");
        async Task CorrectAsync(Func<string, string> text)
        {
            var body = new JsonObject { ["residentInfo"] = new JsonObject(fields.Select(f => KeyValuePair.Create(f, (JsonNode?)text(f)))) };
            (await fixture.Http.SendJsonAsync("PATCH", "api/pictures/live/safety-points/farsta-storforsplan", body.ToJsonString())).EnsureSuccessStatusCode();
        }

        await CorrectAsync(f => $"Text om {f}");
        var set = (await PointAsync()).GetProperty("residentInfo");
        await CorrectAsync(_ => "");
        var cleared = (await PointAsync()).GetProperty("residentInfo");

        Assert.NotEmpty(fields);
        Assert.All(fields, f => Assert.Equal($"Text om {f}", set.GetProperty(f).GetString()));
        Assert.All(fields, f => Assert.Equal(JsonValueKind.Null, cleared.GetProperty(f).ValueKind));
    }
}
