using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// Tokens that are missing, expired, signed with another key, tampered with or meant for
/// someone else get 401, on a command, on the snapshot and on the hub. Each forged token
/// carries exactly one defect: the same forgery without it is accepted.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class TokenTests(AccessServer fixture, ITestOutputHelper output)
{
    private sealed record Case(string Name, string? Token, int Expected, bool InQuery = false);

    [Fact]
    public async Task Only_a_valid_token_from_the_sign_in_opens_the_picture()
    {
        var key = fixture.SigningKey;
        var issued = fixture.Server.SignIn("sara");
        var sara = Jwt.Parse(issued);
        var now = DateTimeOffset.UtcNow;
        Assert.Equal("district", sara.Payload["roles"]!.GetValue<string>());

        Case[] cases =
        [
            new("as issued by the sign-in (control)", issued, 200),
            new("re-signed by the test with the development key (control)", sara.SignedWith(key), 200),
            new("no token", null, 401),
            new("expired 10 minutes ago", sara.With(p =>
            {
                p["iat"] = Jwt.Seconds(now.AddHours(-2));
                p["nbf"] = Jwt.Seconds(now.AddHours(-2));
                p["exp"] = Jwt.Seconds(now.AddMinutes(-10));
            }).SignedWith(key), 401),
            new("not valid until in 10 minutes", sara.With(p =>
            {
                p["iat"] = Jwt.Seconds(now.AddMinutes(10));
                p["nbf"] = Jwt.Seconds(now.AddMinutes(10));
            }).SignedWith(key), 401),
            new("signed with another key", sara.SignedWith(RandomNumberGenerator.GetBytes(32)), 401),
            new("role changed from district to central, original signature", sara.With(p => p["roles"] = "central").WithOriginalSignature(), 401),
            new("district changed to sodermalm, original signature", sara.With(p => p["district"] = "sodermalm").WithOriginalSignature(), 401),
            new("signature removed", sara.Unsigned(), 401),
            new("alg none, role central, no signature", sara.WithHeader(h => h["alg"] = "none").With(p => p["roles"] = "central").Unsigned(), 401),
            new("for another audience", sara.With(p => p["aud"] = "another-app").SignedWith(key), 401),
            new("from another issuer", sara.With(p => p["iss"] = "https://login.example.com").SignedWith(key), 401),
            new("not a JWT at all", "not.a.token", 401),
            new("valid token, but in the query string of an API call", issued, 401, InQuery: true),
            new("a role the city does not know (signed with the key)", sara.With(p => p["roles"] = "admin").SignedWith(key), 403),
        ];

        var point = DemoPoints.In("farsta").Id;
        var failures = new List<string>();
        output.WriteLine($"{"token",-66} {"command",7} {"snapshot",8} {"hub",4}");
        foreach (var test in cases)
        {
            var before = await fixture.DigestAsync();
            var command = await StatusAsync(test, "PUT", $"api/pictures/live/safety-points/{point}/visitors", """{"visitors":0}""");
            var snapshot = await StatusAsync(test, "GET", "api/pictures/live/snapshot", null);
            var hub = test.InQuery ? 0 : await HubStatusAsync(test.Token);
            var after = await fixture.DigestAsync();
            output.WriteLine($"{test.Name,-66} {command,7} {snapshot,8} {(hub == 0 ? "-" : hub.ToString()),4}");

            foreach (var (what, status) in new[] { ("command", command), ("snapshot", snapshot), ("hub", hub) })
            {
                if (status != 0 && status != test.Expected)
                    failures.Add($"{test.Name}: {what} answered {status}, expected {test.Expected}");
            }
            if (test.Expected != 200 && after != before)
                failures.Add($"{test.Name}: refused, yet the picture changed");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private async Task<int> StatusAsync(Case test, string method, string path, string? json)
    {
        using var http = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        if (test.InQuery)
            path += (path.Contains('?') ? "&" : "?") + "access_token=" + Uri.EscapeDataString(test.Token!);
        else if (test.Token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", test.Token);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null)
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    private async Task<int> HubStatusAsync(string? token)
    {
        await using var client = new LiveClient(fixture.Server.BaseAddress, reconnect: false, token: token ?? "");
        return await client.ConnectStatusAsync();
    }
}
