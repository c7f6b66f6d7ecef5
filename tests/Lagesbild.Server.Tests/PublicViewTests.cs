using System.Net.Http.Json;
using System.Text.Json;
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
    public async Task Residents_see_the_opening_hours_the_district_set_and_nothing_once_cleared()
    {
        await fixture.Http.ChangeStatusAsync("farsta-storforsplan", "Activating");
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        async Task<JsonElement> PointAsync() =>
            (await anonymous.GetFromJsonAsync<JsonElement[]>("api/public/safety-points"))!.Single(p => p.GetProperty("id").GetString() == "farsta-storforsplan");

        (await fixture.Http.SendJsonAsync("PATCH", "api/pictures/live/safety-points/farsta-storforsplan", """{"openingHours":"Dygnet runt"}""")).EnsureSuccessStatusCode();
        var set = await PointAsync();
        (await fixture.Http.SendJsonAsync("PATCH", "api/pictures/live/safety-points/farsta-storforsplan", """{"openingHours":""}""")).EnsureSuccessStatusCode();
        var cleared = await PointAsync();

        Assert.Equal("Dygnet runt", set.GetProperty("openingHours").GetString());
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("openingHours").ValueKind);
    }
}
