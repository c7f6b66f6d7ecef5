using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lagesbild.Testing;
using Microsoft.AspNetCore.SignalR;

namespace Lagesbild.Access.Tests;

/// <summary>Security headers, CORS, the per-person rate limit and the body size limit, on a server with the real limits.</summary>
public sealed class HardeningTests(RateLimitedServer fixture, ITestOutputHelper output) : IClassFixture<RateLimitedServer>
{
    [Fact]
    public async Task The_page_and_the_api_carry_the_security_headers()
    {
        using var anonymous = fixture.Server.CreateClient("");
        var answers = new (string What, HttpResponseMessage Response)[]
        {
            ("the map page /", await anonymous.GetAsync("")),
            ("the API (snapshot, signed in)", await fixture.Central.GetAsync("api/pictures/live/snapshot")),
            ("the API refusing (401)", await anonymous.GetAsync("api/pictures/live/snapshot")),
            ("the public view", await anonymous.GetAsync("api/public/safety-points")),
            ("a page that does not exist (404)", await anonymous.GetAsync("finns-inte.html")),
        };
        var failures = new List<string>();
        foreach (var (what, response) in answers)
        {
            string Header(string name) => response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";
            var policy = Header("Content-Security-Policy");
            output.WriteLine($"{what}: {(int)response.StatusCode}\n  CSP: {policy}\n  X-Content-Type-Options: {Header("X-Content-Type-Options")}, X-Frame-Options: {Header("X-Frame-Options")}, Referrer-Policy: {Header("Referrer-Policy")}");
            var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            // 'self', and the page's own boot script by its hash (SecurityHeaders): nothing else.
            if (!directives.Any(d => Regex.IsMatch(d, @"^script-src 'self'( 'sha256-[A-Za-z0-9+/]+=*')*$")))
                failures.Add($"{what}: the CSP does not limit scripts to 'self' and the page's own inline script: {policy}");
            if (policy.Contains("unsafe-inline") || policy.Contains("unsafe-eval"))
                failures.Add($"{what}: the CSP allows unsafe scripts: {policy}");
            if (!directives.Contains("frame-ancestors 'none'") && Header("X-Frame-Options") is not ("DENY" or "SAMEORIGIN"))
                failures.Add($"{what}: may be framed by another site");
            if (Header("X-Content-Type-Options") != "nosniff")
                failures.Add($"{what}: no X-Content-Type-Options: nosniff");
            if (Header("Referrer-Policy") is not ("no-referrer" or "same-origin" or "strict-origin" or "strict-origin-when-cross-origin"))
                failures.Add($"{what}: Referrer-Policy is '{Header("Referrer-Policy")}'");
        }
        // The page's boot script runs: its hash is the one the policy names (else the browser refuses it and the page starts slower).
        var page = answers[0].Response;
        var policyOfPage = string.Join(", ", page.Headers.GetValues("Content-Security-Policy"));
        var inline = Regex.Matches(await page.Content.ReadAsStringAsync(), "<script>(.*?)</script>", RegexOptions.Singleline);
        if (inline.Count == 0)
            failures.Add("the map page has no boot script");
        foreach (Match script in inline)
        {
            var hash = $"'sha256-{Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(script.Groups[1].Value)))}'";
            if (!policyOfPage.Contains(hash))
                failures.Add($"the map page's inline script ({hash}) is not allowed by its policy: {policyOfPage}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Another_site_gets_no_cors_permission()
    {
        using var anonymous = fixture.Server.CreateClient("");
        var preflight = new HttpRequestMessage(HttpMethod.Options, $"api/pictures/live/safety-points/{DemoPoints.In("farsta").Id}/visitors");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        var simple = new HttpRequestMessage(HttpMethod.Get, "api/public/safety-points");
        simple.Headers.Add("Origin", "https://evil.example");

        foreach (var request in new[] { preflight, simple })
        {
            using var response = await anonymous.SendAsync(request);
            var cors = response.Headers.Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).ToArray();
            output.WriteLine($"{request.Method} {request.RequestUri} from https://evil.example: {(int)response.StatusCode}, CORS headers: {(cors.Length == 0 ? "none" : string.Join("; ", cors.Select(h => $"{h.Key}: {string.Join(",", h.Value)}")))}");
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
            Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
            Assert.True((int)response.StatusCode < 500);
        }
    }

    [Fact]
    public async Task A_burst_of_commands_from_one_person_is_limited_and_another_person_is_not()
    {
        var point = DemoPoints.In("sodermalm").Id;
        using var omar = fixture.Server.CreateClient("omar");
        using var omarPace = new SemaphoreSlim(16);
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(async _ =>
        {
            await omarPace.WaitAsync();
            try
            {
                using var response = await omar.SendJsonAsync("PUT", $"api/pictures/live/safety-points/{point}/visitors", """{"visitors":0}""");
                return ((int)response.StatusCode, response.Headers.RetryAfter?.ToString(), response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
            }
            finally
            {
                omarPace.Release();
            }
        }));
        var elapsed = clock.Elapsed;
        using var sara = fixture.Server.CreateClient("sara");
        var other = await new CommandRequest("ReportSafetyPointVisitors", DemoPoints.In("farsta").Id, "PUT", $"safety-points/{DemoPoints.In("farsta").Id}/visitors", new JsonObject { ["visitors"] = 0 }).SendAsync(sara);

        var accepted = answers.Count(a => a.Item1 == 200);
        var limited = answers.Where(a => a.Item1 == 429).ToArray();
        output.WriteLine($"omar, 400 commands in {elapsed.TotalSeconds:F2} s: {accepted} accepted, {limited.Length} × 429, other: {string.Join(", ", answers.Where(a => a.Item1 is not (200 or 429)).Select(a => a.Item1))}");
        output.WriteLine($"429 answer: Retry-After {limited.FirstOrDefault().Item2}, {limited.FirstOrDefault().Item3}: {limited.FirstOrDefault().Item4}");
        output.WriteLine($"sara right after: {other.Status}");

        Assert.NotEmpty(limited);
        Assert.All(limited, a =>
        {
            Assert.False(string.IsNullOrEmpty(a.Item2), "a 429 without Retry-After");
            Assert.Equal("application/problem+json", a.Item3);
        });
        // A burst of 10 seconds' worth (200), then 20 a second.
        Assert.InRange(accepted, 150, 200 + (int)(20 * elapsed.TotalSeconds) + 20);
        Assert.All(answers, a => Assert.Contains(a.Item1, new[] { 200, 429 }));
        Assert.Equal(200, other.Status);
    }

    [Fact]
    public async Task A_burst_over_the_hub_is_limited_per_person_too()
    {
        await using var lena = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: "lena");
        await using var anna = new LiveClient(fixture.Server.BaseAddress, reconnect: false, user: "anna");
        await lena.ConnectAsync();
        await anna.ConnectAsync();
        var report = JsonDocument.Parse("""{"type":"ReportSectorStatus","status":"Disturbed","affectedDistricts":["farsta"],"needs":"Diesel","prognosis":"Ett dygn"}""").RootElement;

        var clock = Stopwatch.StartNew();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => StatusAsync(lena, "energiforsorjning", report)));
        var elapsed = clock.Elapsed;
        var annaStatus = await StatusAsync(anna, "energiforsorjning", report);

        output.WriteLine($"lena over the hub, 300 reports in {elapsed.TotalSeconds:F2} s: {string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))}; anna right after: {annaStatus}");
        Assert.Contains(429, statuses);
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 429 }));
        Assert.InRange(statuses.Count(s => s == 200), 150, 200 + (int)(20 * elapsed.TotalSeconds) + 20);
        Assert.Equal(200, annaStatus);
    }

    private static async Task<int> StatusAsync(LiveClient hub, string target, JsonElement command)
    {
        try
        {
            await hub.SendAsync(target, command);
            return 200;
        }
        catch (HubException refusal)
        {
            return Answer.Of(refusal).Status;
        }
    }

    [Fact]
    public async Task A_body_over_64_KB_is_refused_with_413_and_changes_nothing()
    {
        var point = DemoPoints.In("farsta").Id;
        var before = await fixture.DigestAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"visitors":0,"reason":"{{new string('x', 70_000)}}"}""");

        using var withLength = new ByteArrayContent(body);
        withLength.Headers.ContentType = new("application/json");
        using var sized = await fixture.Central.PutAsync($"api/pictures/live/safety-points/{point}/visitors", withLength);
        // No Content-Length: the server only finds out while reading.
        using var chunked = new StreamContent(new UnknownLengthStream(body));
        chunked.Headers.ContentType = new("application/json");
        using var streamed = await fixture.Central.PutAsync($"api/pictures/live/safety-points/{point}/visitors", chunked);
        var after = await fixture.DigestAsync();

        output.WriteLine($"{body.Length} bytes with Content-Length: {(int)sized.StatusCode} {await sized.Content.ReadAsStringAsync()}");
        output.WriteLine($"{body.Length} bytes chunked: {(int)streamed.StatusCode}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(before, after);
    }

    /// <summary>A stream that will not say how long it is, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
