using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// What the access layer answers besides allowed and refused commands: a token whose roles are
/// ambiguous is refused whatever their order, every refusal by a policy says why, and nothing
/// a signed-in person was shown is cached.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class AccessAnswersTests(AccessServer fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("district", "central")]
    [InlineData("central", "district")]
    [InlineData("observer", "central")]
    public async Task A_token_whose_claims_give_several_roles_is_refused_in_either_order_over_http_and_the_hub(string first, string second)
    {
        var sara = Jwt.Parse(fixture.Server.SignIn("sara"));
        var token = sara.With(p => p["roles"] = new JsonArray(first, second)).SignedWith(fixture.SigningKey);
        var oneRole = sara.With(p => p["roles"] = new JsonArray(first, "okänd-roll")).SignedWith(fixture.SigningKey);
        var point = DemoPoints.In("farsta").Id;
        using var http = fixture.Server.CreateClientWithToken(token);
        var before = await fixture.DigestAsync();

        var command = await new CommandRequest("ReportSafetyPointVisitors", point, "PUT", $"safety-points/{point}/visitors", new JsonObject { ["visitors"] = 1 }).SendAsync(http);
        var snapshot = await Answer.OfAsync(await http.GetAsync("api/pictures/live/snapshot"));
        var me = await Answer.OfAsync(await http.GetAsync("api/me"));
        await using var hub = new LiveClient(fixture.Server.BaseAddress, reconnect: false, token: token);
        var hubStatus = await hub.ConnectStatusAsync();
        using var control = fixture.Server.CreateClientWithToken(oneRole);
        var controlSnapshot = (int)(await control.GetAsync("api/pictures/live/snapshot")).StatusCode;
        var after = await fixture.DigestAsync();

        output.WriteLine($"roles [{first}, {second}]: command {command.Status} \"{command.Detail}\", snapshot {snapshot.Status}, me {me.Status}, hub {hubStatus}; [{first}, okänd-roll]: snapshot {controlSnapshot}");
        foreach (var answer in new[] { command, snapshot, me })
        {
            Assert.Equal(403, answer.Status);
            Assert.Contains(first, answer.Detail);
            Assert.Contains(second, answer.Detail);
        }
        Assert.Equal(403, hubStatus);
        Assert.Equal(before, after);
        Assert.Equal(first == "public" ? 403 : 200, controlSnapshot);
    }

    [Fact]
    public async Task Every_refusal_by_an_access_policy_says_why_in_problem_details()
    {
        var sara = Jwt.Parse(fixture.Server.SignIn("sara"));
        var now = DateTimeOffset.UtcNow;
        var expired = sara.With(p =>
        {
            p["iat"] = Jwt.Seconds(now.AddHours(-2));
            p["nbf"] = Jwt.Seconds(now.AddHours(-2));
            p["exp"] = Jwt.Seconds(now.AddMinutes(-10));
        }).SignedWith(fixture.SigningKey);
        var cases = new (string What, string? Token, string Method, string Path, int Expected)[]
        {
            ("the public on the list of pictures", fixture.Server.SignIn("allmanhet"), "GET", "api/pictures", 403),
            ("the public on the snapshot", fixture.Server.SignIn("allmanhet"), "GET", "api/pictures/live/snapshot", 403),
            ("the public on live stats", fixture.Server.SignIn("allmanhet"), "GET", "api/live/stats", 403),
            ("a district creating an exercise", fixture.Server.SignIn("sara"), "POST", "api/pictures", 403),
            ("a district revoking a person", fixture.Server.SignIn("sara"), "POST", "api/revocations", 403),
            ("no token on the list of pictures", null, "GET", "api/pictures", 401),
            ("no token on a command", null, "PUT", $"api/pictures/live/safety-points/{DemoPoints.In("farsta").Id}/visitors", 401),
            ("no token signing out", null, "POST", "api/sign-out", 401),
            ("an expired token on the snapshot", expired, "GET", "api/pictures/live/snapshot", 401),
            ("a token signed with another key", sara.SignedWith(new byte[32]), "GET", "api/pictures", 401),
        };
        var failures = new List<string>();
        foreach (var (what, token, method, path, expected) in cases)
        {
            using var http = fixture.Server.CreateClientWithToken(token);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method != "GET")
                request.Content = JsonContent.Create(new { id = "ex-nekad", name = "Nekad", person = "dev:ingen", visitors = 1 });
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine($"{what}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {body}");
            if ((int)response.StatusCode != expected)
                failures.Add($"{what}: {(int)response.StatusCode}, expected {expected}");
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{what}: answered {response.Content.Headers.ContentType?.MediaType}, not ProblemDetails");
            else if (JsonDocument.Parse(body).RootElement.TryGetProperty("detail", out var detail) is false || string.IsNullOrWhiteSpace(detail.GetString()))
                failures.Add($"{what}: a ProblemDetails without a detail");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Signed_in_answers_and_the_sign_in_answer_are_never_cached()
    {
        using var anonymous = fixture.Server.CreateClient("");
        using var polis = fixture.Server.CreateClient("polis");
        using var allmanhet = fixture.Server.CreateClient("allmanhet");
        var point = DemoPoints.In("farsta").Id;
        var answers = new (string What, HttpResponseMessage Response)[]
        {
            ("the sign-in", await anonymous.PostAsJsonAsync("api/dev/sign-in", new { user = "sara" })),
            ("the snapshot", await fixture.Central.GetAsync("api/pictures/live/snapshot")),
            ("the loggbok", await polis.GetAsync("api/pictures/live/log?limit=5")),
            ("who am I", await polis.GetAsync("api/me")),
            ("an accepted command", await fixture.Central.SendJsonAsync("PUT", $"api/pictures/live/safety-points/{point}/visitors", """{"visitors":2}""")),
            ("a refused command", await polis.SendJsonAsync("PUT", $"api/pictures/live/safety-points/{point}/visitors", """{"visitors":2}""")),
            ("a refusal by a policy", await allmanhet.GetAsync("api/pictures/live/snapshot")),
            ("the public view, signed in", await allmanhet.GetAsync("api/public/safety-points")),
        };
        var failures = new List<string>();
        foreach (var (what, response) in answers)
        {
            var cacheControl = response.Headers.CacheControl;
            output.WriteLine($"{what}: {(int)response.StatusCode}, Cache-Control: {cacheControl}");
            if (cacheControl?.NoStore != true)
                failures.Add($"{what}: Cache-Control is '{cacheControl}', not no-store");
            response.Dispose();
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }
}
