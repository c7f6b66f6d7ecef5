using System.Net;
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
        await fixture.Http.EnsureActivatedAsync("bromma-brommaplan");
        await fixture.Http.EnsureActivatedAsync("farsta-emma-hokarangen");
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        await anonymous.WaitForPublicViewAsync((await fixture.Http.DigestAsync()).Seq);

        var points = await anonymous.GetFromJsonAsync<JsonElement[]>("api/public/safety-points");

        Assert.True(points!.Single(p => p.GetProperty("id").GetString() == "bromma-brommaplan").GetProperty("example").GetBoolean());
        Assert.False(points!.Single(p => p.GetProperty("id").GetString() == "farsta-emma-hokarangen").GetProperty("example").GetBoolean());
    }

    [Fact]
    public async Task Residents_see_every_text_the_district_wrote_for_them_and_nothing_once_cleared()
    {
        // Every text of ResidentInfo, by its name on the wire: a new one is checked here without a new test.
        var fields = typeof(ResidentInfo).GetConstructors().Single().GetParameters().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!)).ToArray();
        await fixture.Http.EnsureActivatedAsync("farsta-storforsplan");
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        async Task<JsonElement> PointAsync() =>
            (await anonymous.GetFromJsonAsync<JsonElement[]>("api/public/safety-points"))!.Single(p => p.GetProperty("id").GetString() == "farsta-storforsplan");
        async Task CorrectAsync(Func<string, string> text)
        {
            var body = new JsonObject { ["residentInfo"] = new JsonObject(fields.Select(f => KeyValuePair.Create(f, (JsonNode?)text(f)))) };
            var answer = await fixture.Http.SendJsonAsync("PATCH", "api/pictures/live/safety-points/farsta-storforsplan", body.ToJsonString());
            answer.EnsureSuccessStatusCode();
            await anonymous.WaitForPublicViewAsync((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64());
        }

        await CorrectAsync(f => $"Text om {f}");
        var set = (await PointAsync()).GetProperty("residentInfo");
        await CorrectAsync(_ => "");
        var cleared = (await PointAsync()).GetProperty("residentInfo");

        Assert.NotEmpty(fields);
        Assert.All(fields, f => Assert.Equal($"Text om {f}", set.GetProperty(f).GetString()));
        Assert.All(fields, f => Assert.Equal(JsonValueKind.Null, cleared.GetProperty(f).ValueKind));
    }

    [Fact]
    public async Task The_list_is_cached_by_its_etag_and_answers_304_until_the_picture_changes()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        var first = await anonymous.GetAsync("api/public/safety-points");
        var etag = first.Headers.ETag!.Tag;

        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "api/public/safety-points");
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var unchanged = await anonymous.SendAsync(revalidate);
        await anonymous.WaitForPublicViewAsync(await fixture.Http.ChangeStatusAsync("hasselby-vallingby-grimsta", "Activating"));
        using var afterChange = new HttpRequestMessage(HttpMethod.Get, "api/public/safety-points");
        afterChange.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var changed = await anonymous.SendAsync(afterChange);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True(first.Headers.CacheControl!.Public);
        Assert.Equal(TimeSpan.FromSeconds(5), first.Headers.CacheControl.MaxAge);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag!.Tag);
        Assert.Contains((await changed.Content.ReadFromJsonAsync<JsonElement[]>())!, p => p.GetProperty("id").GetString() == "hasselby-vallingby-grimsta");
    }

    [Theory]
    [InlineData("br, gzip", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("identity", null)]
    [InlineData("gzip;q=0.5, br;q=0.0", "gzip")]
    [InlineData("BR ; q=1", "br")]
    public async Task A_browser_gets_the_list_compressed_the_way_it_accepts_and_it_says_the_same_as_the_plain_list(string acceptEncoding, string? expected)
    {
        await fixture.Http.EnsureActivatedAsync("bromma-brommaplan");
        using var plain = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        await plain.WaitForPublicViewAsync((await fixture.Http.DigestAsync()).Seq);
        // No automatic decompression: the test reads the bytes as they travel.
        using var browser = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = fixture.Server.BaseAddress };

        var uncompressed = await plain.GetAsync("api/public/safety-points");
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/public/safety-points");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        var answer = await browser.SendAsync(request);
        var body = await answer.Content.ReadAsByteArrayAsync();
        using var decoded = new MemoryStream();
        using (Stream source = expected switch
        {
            "br" => new System.IO.Compression.BrotliStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress),
            "gzip" => new System.IO.Compression.GZipStream(new MemoryStream(body), System.IO.Compression.CompressionMode.Decompress),
            _ => new MemoryStream(body),
        })
            source.CopyTo(decoded);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(expected is null ? [] : [expected], answer.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", answer.Headers.Vary);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "api/public/safety-points");
        revalidate.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
        revalidate.Headers.IfNoneMatch.Add(answer.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await browser.SendAsync(revalidate)).StatusCode);
        // Each encoding is a representation of its own, with a tag of its own.
        Assert.Equal(expected is null, uncompressed.Headers.ETag!.Equals(answer.Headers.ETag));
        Assert.Equal(await uncompressed.Content.ReadAsByteArrayAsync(), decoded.ToArray());
        if (expected is not null)
            Assert.True(body.Length < decoded.Length / 2, $"{body.Length} B compressed of {decoded.Length} B");
    }

    [Fact]
    public async Task A_residents_list_answered_before_the_pipeline_carries_every_answers_security_headers_and_the_same_list_as_a_signed_in_ask()
    {
        await fixture.Http.EnsureActivatedAsync("bromma-brommaplan");
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        await anonymous.WaitForPublicViewAsync((await fixture.Http.DigestAsync()).Seq);

        var resident = await anonymous.GetAsync("api/public/safety-points");
        var signedIn = await fixture.Http.GetAsync("api/public/safety-points");
        // Any other answer, for the headers every answer carries.
        var other = await anonymous.GetAsync("api/public/safety-points/nearest?lon=18.0&lat=59.3");

        Assert.Equal(HttpStatusCode.OK, resident.StatusCode);
        foreach (var header in new[] { "Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy" })
            Assert.Equal(other.Headers.GetValues(header), resident.Headers.GetValues(header));
        Assert.Equal("application/json", resident.Content.Headers.ContentType!.MediaType);
        Assert.True(resident.Headers.CacheControl!.Public);
        // A signed-in ask goes on to the endpoint: the same list, never stored.
        Assert.True(signedIn.Headers.CacheControl!.NoStore);
        Assert.Equal(await signedIn.Content.ReadAsStringAsync(), await resident.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_nearest_open_points_come_nearest_first_with_their_distance_and_no_nearer_one_is_left_out()
    {
        foreach (var point in new[] { "farsta-storforsplan", "farsta-emma-hokarangen", "skarholmen-masholmstorget", "sodermalm-danvikstull" })
            await fixture.Http.EnsureActivatedAsync(point);
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        await anonymous.WaitForPublicViewAsync((await fixture.Http.DigestAsync()).Seq);
        var all = (await anonymous.GetFromJsonAsync<JsonElement[]>("api/public/safety-points"))!;
        var here = all.Single(p => p.GetProperty("id").GetString() == "farsta-storforsplan");
        var (lon, lat) = (here.GetProperty("lon").GetDouble(), here.GetProperty("lat").GetDouble());

        var nearest = (await anonymous.GetFromJsonAsync<JsonElement[]>(
            FormattableString.Invariant($"api/public/safety-points/nearest?lon={lon}&lat={lat}&count=3")))!;

        // An independent estimate (equirectangular, good to a few metres within a city) to check the order against.
        double Estimate(JsonElement p)
        {
            var dx = (p.GetProperty("lon").GetDouble() - lon) * Math.Cos(lat * Math.PI / 180) * 111_195;
            var dy = (p.GetProperty("lat").GetDouble() - lat) * 111_195;
            return Math.Sqrt(dx * dx + dy * dy);
        }
        Assert.Equal(3, nearest.Length);
        Assert.Equal("farsta-storforsplan", nearest[0].GetProperty("point").GetProperty("id").GetString());
        Assert.Equal(0, nearest[0].GetProperty("distanceMetres").GetInt32());
        var distances = nearest.Select(n => n.GetProperty("distanceMetres").GetInt32()).ToArray();
        Assert.Equal(distances.Order(), distances);
        foreach (var n in nearest)
            Assert.InRange(n.GetProperty("distanceMetres").GetInt32() - Estimate(n.GetProperty("point")), -10, 10);
        var returned = nearest.Select(n => n.GetProperty("point").GetProperty("id").GetString()).ToHashSet();
        Assert.All(all.Where(p => !returned.Contains(p.GetProperty("id").GetString())), p => Assert.True(Estimate(p) >= distances[^1] - 10));
    }

    [Theory]
    [InlineData("lon=18.07&lat=95", "lat")]
    [InlineData("lon=200&lat=59.3", "lon")]
    [InlineData("lat=59.3", "lon")]
    [InlineData("lon=18.07&lat=59.3&count=0", "count")]
    [InlineData("lon=18.07&lat=59.3&count=21", "count")]
    public async Task A_position_or_count_that_cannot_be_is_refused_naming_it(string query, string field)
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Server.BaseAddress };
        var answer = await anonymous.GetAsync($"api/public/safety-points/nearest?{query}");
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }
}
