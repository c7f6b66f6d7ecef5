using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// An Idempotency-Key makes a retried request count once, and it is the sender's own: it never
/// answers for someone else's change, and reused for a different request it is refused (422),
/// never quietly answered with the first change.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class IdempotencyKeyTests(AccessServer fixture, ITestOutputHelper output)
{
    private static readonly string Farsta = DemoPoints.In("farsta").Id;
    private static readonly string OtherFarsta = DemoPoints.All.Where(p => p.District == "farsta").Skip(1).First().Id;

    [Fact]
    public async Task A_retry_with_the_same_key_and_request_is_answered_as_the_first_time_and_counts_once()
    {
        var key = Guid.NewGuid().ToString();
        var before = await fixture.DigestAsync();

        var first = await WaterAsync(fixture.Central, key, Farsta, 410);
        var retry = await WaterAsync(fixture.Central, key, Farsta, 410);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, retry.Status);
        Assert.Equal(first.Body.GetProperty("seq").GetInt64(), retry.Body.GetProperty("seq").GetInt64());
        Assert.Equal(first.Body.GetProperty("eventId").GetString(), retry.Body.GetProperty("eventId").GetString());
        Assert.Equal(before.Seq + 1, (await fixture.DigestAsync()).Seq);
    }

    [Fact]
    public async Task A_key_reused_with_another_body_route_or_entity_is_refused_with_422_and_changes_nothing()
    {
        var key = $"nyckel-{Guid.NewGuid():N}";
        var first = await WaterAsync(fixture.Central, key, Farsta, 420);
        Assert.Equal(200, first.Status);
        var after = await fixture.DigestAsync();

        var otherBody = await WaterAsync(fixture.Central, key, Farsta, 421);
        var otherEntity = await WaterAsync(fixture.Central, key, OtherFarsta, 420);
        var otherRoute = await SendAsync(fixture.Central, key, "PUT", $"safety-points/{Farsta}/visitors", """{"visitors":0}""");

        foreach (var (what, answer) in new[] { ("another body", otherBody), ("another entity", otherEntity), ("another route", otherRoute) })
        {
            output.WriteLine($"{what}: {answer.Status} {answer.Detail}");
            Assert.Equal(422, answer.Status);
            Assert.Contains("Idempotency-Key", answer.Detail);
        }
        Assert.Equal(after, await fixture.DigestAsync());
    }

    [Fact]
    public async Task The_same_key_from_two_people_makes_two_changes()
    {
        var key = "samma-nyckel-" + Guid.NewGuid().ToString("N")[..8];
        using var sara = fixture.Server.CreateClient("sara");
        var before = await fixture.DigestAsync();

        var annas = await WaterAsync(fixture.Central, key, Farsta, 430);
        var saras = await WaterAsync(sara, key, Farsta, 431);

        Assert.Equal(200, annas.Status);
        Assert.Equal(200, saras.Status);
        Assert.NotEqual(annas.Body.GetProperty("seq").GetInt64(), saras.Body.GetProperty("seq").GetInt64());
        Assert.Equal(before.Seq + 2, (await fixture.DigestAsync()).Seq);
        var state = await fixture.StateAsync("SafetyPoint", Farsta);
        Assert.Equal(431, state.GetProperty("resources").GetProperty("waterLitres").GetInt32());
    }

    [Fact]
    public async Task A_key_over_200_characters_is_refused_and_changes_nothing()
    {
        var before = await fixture.DigestAsync();

        var answer = await WaterAsync(fixture.Central, new string('k', 201), Farsta, 440);

        Assert.Equal(400, answer.Status);
        Assert.Contains("Idempotency-Key", answer.Raw);
        Assert.Equal(before, await fixture.DigestAsync());
    }

    private static Task<Result> WaterAsync(HttpClient http, string key, string point, int litres) =>
        SendAsync(http, key, "PUT", $"safety-points/{point}/resources",
            $$"""{"backupPower":{"available":true,"fuelHours":12},"waterLitres":{{litres}},"staff":4,"frgVolunteers":2,"radios":1}""");

    private static async Task<Result> SendAsync(HttpClient http, string key, string method, string path, string json)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"api/pictures/live/{path}") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var body = JsonDocument.Parse(raw).RootElement.Clone();
        return new Result((int)response.StatusCode, body, raw,
            body.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String ? detail.GetString() : null);
    }

    private sealed record Result(int Status, JsonElement Body, string Raw, string? Detail);
}
