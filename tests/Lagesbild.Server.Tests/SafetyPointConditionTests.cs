using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>A point's condition reported over HTTP, and the attention the server's rules give it.</summary>
public sealed class SafetyPointConditionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Point = "sodermalm-tellus";

    private async Task<long> ReportAsync(string body)
    {
        var answer = await fixture.Http.SendJsonAsync("POST", $"api/pictures/live/safety-points/{Point}/condition", body);
        Assert.True(answer.IsSuccessStatusCode, $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
    }

    /// <summary>The attention answer once it has caught up with <paramref name="seq"/> (it follows the live feed).</summary>
    private async Task<JsonElement[]> ReasonsAsync(long seq)
    {
        while (true)
        {
            var answer = await fixture.Http.GetFromJsonAsync<JsonElement>("api/pictures/live/attention");
            if (answer.GetProperty("seq").GetInt64() >= seq)
            {
                return [.. answer.GetProperty("points").EnumerateArray()
                    .Where(p => p.GetProperty("id").GetString() == Point)
                    .SelectMany(p => p.GetProperty("reasons").EnumerateArray())];
            }
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_point_whose_fuel_drops_below_the_threshold_needs_attention_until_it_is_refuelled()
    {
        await fixture.Http.EnsureActivatedAsync(Point);

        var low = await ReasonsAsync(await ReportAsync("""{"power":{"source":"Backup","fuelHours":4}}"""));
        var fuel = Assert.Single(low, r => r.GetProperty("rule").GetString() == "FuelLow");
        Assert.Equal(6, fuel.GetProperty("threshold").GetDouble());
        Assert.InRange(fuel.GetProperty("value").GetDouble(), 3.9, 4);

        var refuelled = await ReasonsAsync(await ReportAsync("""{"power":{"source":"Backup","fuelHours":30}}"""));
        Assert.DoesNotContain(refuelled, r => r.GetProperty("rule").GetString() == "FuelLow");
    }

    [Theory]
    [InlineData("""{"heat":{"indoorCelsius":500}}""", "heat.indoorCelsius", "Måste vara mellan -30 och 45 (är 500).")]
    [InlineData("""{"water":{"source":"Stored","litres":-20}}""", "water.litres", "Måste vara mellan 0 och 100000 (är -20).")]
    [InlineData("""{"power":{"source":"Grid","fuelHours":5}}""", "power.fuelHours", "Bränsle och tankning anges bara när punkten går på reservkraft.")]
    public async Task An_impossible_condition_is_refused_in_swedish_and_changes_nothing(string body, string field, string said)
    {
        var before = await fixture.Http.DigestAsync();

        var answer = await fixture.Http.SendJsonAsync("POST", $"api/pictures/live/safety-points/{Point}/condition", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType!.MediaType);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(said, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal(before, await fixture.Http.DigestAsync());
    }
}
