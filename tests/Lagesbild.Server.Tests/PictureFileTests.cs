using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>Two installations of Lagesbild, each with its own store: a file goes from one to the other.</summary>
public sealed class TwoInstallations : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Settings = new() { ["Lagesbild:Storage:DurableAcknowledgement"] = "false" };

    public RunningServer Here { get; } = new(Settings);
    public RunningServer Elsewhere { get; } = new(Settings);

    public async Task InitializeAsync() => await Task.WhenAll(Here.InitializeAsync(), Elsewhere.InitializeAsync());

    public async Task DisposeAsync() => await Task.WhenAll(Here.DisposeAsync(), Elsewhere.DisposeAsync());
}

/// <summary>A picture's loggbok as a file: out of one installation, into another, exactly.</summary>
public sealed class PictureFileTests(TwoInstallations installations, ITestOutputHelper output) : IClassFixture<TwoInstallations>
{
    private HttpClient Here => installations.Here.Http;
    private HttpClient Elsewhere => installations.Elsewhere.Http;

    [Fact]
    public async Task A_picture_exported_and_imported_elsewhere_has_the_same_digest_at_every_sequence_number()
    {
        await Here.ReportWaterAsync("farsta-storforsplan", 300);
        var note = await Here.SendJsonAsync("PUT", "api/pictures/live/districts/farsta/situation",
            JsonSerializer.Serialize(new { situation = "Strained", reason = "Internt: personalen räcker till kl 22", @internal = true }));
        Assert.Equal(HttpStatusCode.OK, note.StatusCode);
        for (var i = 0; i < 10; i++)
            await Here.ReportWaterAsync("sodermalm-tellus", i);
        var (last, digest) = await Here.DigestAsync();

        var file = await ExportAsync();
        var lines = file.TrimEnd('\n').Split('\n');
        Assert.Equal(last + 1, lines.Length);
        var header = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal("live", header.GetProperty("picture").GetString());
        Assert.Equal(last, header.GetProperty("count").GetInt64());
        Assert.Equal(digest, header.GetProperty("digest").GetString());
        Assert.Contains("personalen räcker", file);

        var imported = await ImportAsync(Elsewhere, "ex-arkiv", file);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.Equal(digest, (await Elsewhere.DigestAsync("ex-arkiv")).Digest);

        var differ = new List<long>();
        for (var seq = 0L; seq <= last; seq++)
        {
            var there = await Elsewhere.GetFromJsonAsync<JsonElement>($"api/pictures/ex-arkiv/replay/digest?seq={seq}");
            var here = await Here.GetFromJsonAsync<JsonElement>($"api/pictures/live/replay/digest?seq={seq}");
            if (there.GetProperty("digest").GetString() != here.GetProperty("digest").GetString())
                differ.Add(seq);
        }
        Assert.True(differ.Count == 0, $"Digests differ at {string.Join(", ", differ)}");
        output.WriteLine($"{last} entries: the same digest at every sequence number 0–{last}");

        // The imported picture is a picture like any other: its chain holds, and it takes changes.
        var verify = await Elsewhere.GetFromJsonAsync<JsonElement>("api/pictures/ex-arkiv/loggbok/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.ToString());
        Assert.Equal(last, verify.GetProperty("chained").GetInt64());
        Assert.Equal(last + 1, await Elsewhere.ReportWaterAsync("farsta-storforsplan", 301, "ex-arkiv"));
        Assert.True((await Elsewhere.GetFromJsonAsync<JsonElement>("api/pictures/ex-arkiv/loggbok/verify")).GetProperty("intact").GetBoolean());
        var log = await Elsewhere.GetStringAsync($"api/pictures/ex-arkiv/log?afterSeq={last - 1}&limit=2");
        Assert.Contains("\"picture\":\"ex-arkiv\"", log);
        Assert.DoesNotContain("\"picture\":\"live\"", log);
    }

    [Fact]
    public async Task A_damaged_file_is_refused_on_the_line_that_is_damaged_and_nothing_is_imported()
    {
        var lines = (await ExportAsync()).TrimEnd('\n').Split('\n');
        var damaged = (string[])lines.Clone();
        var line = lines.Length / 2;
        // Still JSON, still in place: only the chain can tell.
        damaged[line - 1] = damaged[line - 1].Replace("\"state\":{", "\"state\":{\"skadad\":1,");
        Assert.NotEqual(lines[line - 1], damaged[line - 1]);
        await RefusedAsync(damaged, line, "stämmer inte med sin länk");
    }

    [Fact]
    public async Task A_reordered_file_is_refused_on_the_first_line_out_of_place()
    {
        var lines = (await ExportAsync()).TrimEnd('\n').Split('\n');
        var reordered = (string[])lines.Clone();
        (reordered[10], reordered[11]) = (reordered[11], reordered[10]);
        await RefusedAsync(reordered, 11, "omkastad");
    }

    [Fact]
    public async Task A_truncated_file_is_refused_as_truncated_whether_cut_between_lines_or_within_one()
    {
        var lines = (await ExportAsync()).TrimEnd('\n').Split('\n');
        await RefusedAsync(lines[..^3], null, "avkortad");
        var cut = lines[..^1].Append(lines[^1][..(lines[^1].Length / 2)]).ToArray();
        await RefusedAsync(cut, lines.Length, "ingen hel loggbokspost");
        await RefusedAsync([lines[1], lines[2]], 1, "huvud");
    }

    [Fact]
    public async Task An_import_into_a_picture_that_exists_is_refused_and_changes_nothing()
    {
        var file = await ExportAsync();
        var before = await Elsewhere.DigestAsync();
        var response = await ImportAsync(Elsewhere, "live", file);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("finns redan", await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await Elsewhere.DigestAsync());
    }

    /// <summary>The file is refused naming the line, and the picture it was meant for does not exist; the whole file still imports there afterwards.</summary>
    private async Task RefusedAsync(string[] lines, long? line, string says)
    {
        var picture = $"ex-skadad-{Guid.NewGuid():N}"[..20];
        var response = await ImportAsync(Elsewhere, picture, string.Join('\n', lines) + "\n");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        output.WriteLine($"{(int)response.StatusCode} {problem.GetProperty("detail").GetString()}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(says, problem.GetProperty("detail").GetString());
        if (line is not null)
        {
            Assert.Equal(line, problem.GetProperty("line").GetInt64());
            Assert.Contains($"Rad {line}", problem.GetProperty("detail").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Elsewhere.GetAsync($"api/pictures/{picture}/snapshot")).StatusCode);
        Assert.DoesNotContain(picture, await Elsewhere.GetStringAsync("api/pictures"));
        Assert.Equal(HttpStatusCode.Created, (await ImportAsync(Elsewhere, picture, await ExportAsync())).StatusCode);
    }

    private async Task<string> ExportAsync()
    {
        using var response = await Here.GetAsync("api/pictures/live/loggbok/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static Task<HttpResponseMessage> ImportAsync(HttpClient http, string picture, string file) =>
        http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"api/pictures/{picture}/loggbok/import")
        {
            Content = new StringContent(file, Encoding.UTF8, "application/x-ndjson"),
        });
}
