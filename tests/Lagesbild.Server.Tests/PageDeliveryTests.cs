using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Lagesbild.Server.Tests;

/// <summary>
/// What a phone on a weak link is sent: compressed answers (Brotli, gzip for a browser without it),
/// versioned files kept for a year, everything else revalidated with its ETag, and the sign-in's
/// token never compressed.
/// </summary>
public sealed class PageDeliveryTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private HttpClient Raw() => new(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = fixture.Server.BaseAddress };

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task The_page_script_comes_compressed_as_the_browser_accepts_and_is_kept_for_a_year(string encoding)
    {
        using var http = Raw();
        var script = Regex.Match(await http.GetStringAsync("/"), "src=\"(app-[A-Z0-9]{8}\\.js)\"").Groups[1].Value;
        var plain = await http.GetByteArrayAsync(script);

        using var response = await GetAsync(http, script, encoding);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.Contains("immutable", response.Headers.CacheControl?.Extensions.Select(e => e.Name) ?? []);
        Assert.Contains("Accept-Encoding", response.Headers.Vary);
        var sent = await response.Content.ReadAsByteArrayAsync();
        Assert.True(sent.Length < plain.Length / 2, $"{sent.Length} bytes sent for {plain.Length}");
        Assert.Equal(plain, Decompress(sent, encoding));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/maps/districts.geojson")]
    [InlineData("/sw.js")]
    public async Task The_page_and_the_map_data_come_compressed_and_are_revalidated_with_their_ETag(string path)
    {
        using var http = Raw();
        using var first = await GetAsync(http, path, "br");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(["br"], first.Content.Headers.ContentEncoding);
        Assert.True(first.Headers.CacheControl?.NoCache, $"{path}: Cache-Control {first.Headers.CacheControl}");
        Assert.NotNull(first.Headers.ETag);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.AcceptEncoding.ParseAdd("br");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag);
        using var revalidated = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
    }

    [Fact]
    public async Task JSON_answers_come_compressed_but_the_sign_in_with_its_token_does_not()
    {
        using var http = Raw();
        using var config = await GetAsync(http, "/api/config", "br");
        Assert.Equal(["br"], config.Content.Headers.ContentEncoding);

        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/api/dev/sign-in") { Content = new StringContent("""{"user":"sara"}""", Encoding.UTF8, "application/json") };
        signIn.Headers.AcceptEncoding.ParseAdd("br");
        using var token = await http.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.Empty(token.Content.Headers.ContentEncoding);
        Assert.Contains("\"token\"", await token.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string encoding)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        return await http.SendAsync(request);
    }

    private static byte[] Decompress(byte[] sent, string encoding)
    {
        using var input = new MemoryStream(sent);
        using Stream decompressor = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }
}
