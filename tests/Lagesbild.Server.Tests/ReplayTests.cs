using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>A server of its own for replay: its loggbok grows past a checkpoint.</summary>
public sealed class ReplayServer() : RunningServer(new Dictionary<string, string> { ["Lagesbild:Storage:DurableAcknowledgement"] = "false" });

/// <summary>Any picture as it was at any moment, from its loggbok.</summary>
public sealed class ReplayTests(ReplayServer fixture, ITestOutputHelper output) : IClassFixture<ReplayServer>
{
    private static readonly string[] Points = ["farsta-storforsplan", "sodermalm-tellus", "jarva-kista", "bromma-brommaplan"];

    [Fact]
    public async Task The_picture_replayed_at_a_sequence_number_has_the_digest_the_live_picture_had_then()
    {
        var http = fixture.Http;
        var live = new Dictionary<long, string>();
        async Task Remember()
        {
            var (seq, digest) = await http.DigestAsync();
            live[seq] = digest;
        }

        // Moments one at a time: after the configuration, then changes of several kinds.
        await Remember();
        for (var i = 0; i < 30; i++)
        {
            var point = Points[i % Points.Length];
            await http.ReportWaterAsync(point, 100 + i);
            await Remember();
        }
        // Past the first checkpoint (every 1,000 entries), several writers at once, then one at a time across it.
        var (now, _) = await http.DigestAsync();
        var toward = 990 - now;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async writer =>
        {
            for (var i = writer; i < toward; i += 4)
                await http.ReportWaterAsync(Points[writer], 1000 + i);
        }));
        await Remember();
        for (var i = 0; i < 25; i++)
        {
            await http.ReportWaterAsync(Points[i % Points.Length], 500 + i);
            await Remember();
        }
        Assert.Contains(live.Keys, seq => seq > 1000);
        Assert.Contains(live.Keys, seq => seq == 1000);

        var differ = new List<string>();
        foreach (var (seq, digest) in live.OrderBy(d => d.Key))
        {
            var replayed = await http.GetFromJsonAsync<JsonElement>($"api/pictures/live/replay/digest?seq={seq}");
            Assert.Equal(seq, replayed.GetProperty("seq").GetInt64());
            if (replayed.GetProperty("digest").GetString() != digest)
                differ.Add($"seq {seq}: live {digest}, replayed {replayed.GetProperty("digest").GetString()}");
        }
        output.WriteLine($"{live.Count} moments compared, seq {live.Keys.Min()}–{live.Keys.Max()}");
        Assert.True(differ.Count == 0, string.Join('\n', differ));

        // The whole picture at the last moment is the live snapshot, record for record.
        var (last, _) = await http.DigestAsync();
        var snapshot = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
        var replay = await http.GetFromJsonAsync<JsonElement>($"api/pictures/live/replay/snapshot?seq={last}");
        Assert.Equal(snapshot.GetProperty("eventId").GetString(), replay.GetProperty("eventId").GetString());
        Assert.Equal(Records(snapshot), Records(replay));
    }

    [Fact]
    public async Task A_jump_to_a_time_shows_each_point_as_it_was_then()
    {
        var http = fixture.Http;
        await http.ReportWaterAsync("jarva-kista", 17);
        await Task.Delay(50);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        var after = await http.ReportWaterAsync("jarva-kista", 42);

        var then = await http.GetFromJsonAsync<JsonElement>($"api/pictures/live/replay/snapshot?at={Uri.EscapeDataString(between.ToString("O"))}");
        Assert.Equal(after - 1, then.GetProperty("seq").GetInt64());
        Assert.Equal(17, StateOf(then, "SafetyPoint/jarva-kista").GetProperty("resources").GetProperty("waterLitres").GetInt32());
        var now = await http.GetFromJsonAsync<JsonElement>($"api/pictures/live/replay/snapshot?seq={after}");
        Assert.Equal(42, StateOf(now, "SafetyPoint/jarva-kista").GetProperty("resources").GetProperty("waterLitres").GetInt32());
        var before = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/replay/snapshot?at=2000-01-01T00:00:00Z");
        Assert.Equal(0, before.GetProperty("seq").GetInt64());
        Assert.Equal(0, before.GetProperty("entities").GetArrayLength());

        var span = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/replay");
        Assert.Equal(1, span.GetProperty("firstSeq").GetInt64());
        Assert.True(span.GetProperty("lastSeq").GetInt64() >= after);
        Assert.True(span.GetProperty("firstAt").GetDateTimeOffset() < between && span.GetProperty("lastAt").GetDateTimeOffset() > between);
    }

    [Fact]
    public async Task Playback_entries_come_in_order_and_partners_get_them_without_internal_notes()
    {
        var http = fixture.Http;
        const string note = "Internt: räcker bara över natten";
        var response = await http.SendJsonAsync("PUT", "api/pictures/live/safety-points/farsta-storforsplan/resources", JsonSerializer.Serialize(new
        {
            backupPower = new { available = true, fuelHours = 6 },
            waterLitres = 80, staff = 2, frgVolunteers = 1, radios = 1, reason = note, @internal = true,
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var hidden = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
        var last = await http.ReportWaterAsync("farsta-storforsplan", 5);

        var query = $"api/pictures/live/replay/entries?afterSeq={hidden - 3}&throughSeq={last}";
        var city = await http.GetFromJsonAsync<JsonElement>(query);
        Assert.Equal(Enumerable.Range((int)hidden - 2, (int)(last - hidden + 3)).Select(s => (long)s),
            city.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("seq").GetInt64()));
        Assert.Contains(note, city.ToString());

        using var polis = fixture.Server.CreateClient("polis");
        var partner = await polis.GetStringAsync(query);
        Assert.DoesNotContain("räcker bara", partner);
        Assert.Contains($"\"seq\":{hidden},", partner);
    }

    [Theory]
    [InlineData("replay/snapshot", "seq")]
    [InlineData("replay/snapshot?seq=1&at=2026-01-01T00:00:00Z", "seq")]
    [InlineData("replay/snapshot?seq=-1", "seq")]
    [InlineData("replay/snapshot?seq=99999999", "seq")]
    [InlineData("replay/digest?seq=99999999", "seq")]
    [InlineData("replay/entries?afterSeq=10&throughSeq=5000", "throughSeq")]
    [InlineData("replay/entries?afterSeq=10", "throughSeq")]
    public async Task A_moment_that_is_not_one_is_refused_saying_which_field(string path, string field)
    {
        var response = await fixture.Http.GetAsync($"api/pictures/live/{path}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("PUT", "replay/safety-points/farsta-storforsplan/resources")]
    [InlineData("POST", "replay/snapshot")]
    [InlineData("POST", "replay")]
    public async Task A_change_sent_to_a_replay_is_refused_saying_where_changes_go_and_nothing_changes(string method, string path)
    {
        var before = await fixture.Http.DigestAsync();
        var response = await fixture.Http.SendJsonAsync(method, $"api/pictures/live/{path}",
            """{"backupPower":{"available":true,"fuelHours":1},"waterLitres":1,"staff":1,"frgVolunteers":1,"radios":1}""");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("tar inga ändringar", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(before, await fixture.Http.DigestAsync());
    }

    [Fact]
    public async Task Replaying_a_picture_that_does_not_exist_is_not_found()
    {
        var response = await fixture.Http.GetAsync("api/pictures/ex-finns-inte/replay/snapshot?seq=1");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ex-finns-inte", await response.Content.ReadAsStringAsync());
    }

    private static SortedDictionary<string, string> Records(JsonElement snapshot) =>
        new(snapshot.GetProperty("entities").EnumerateArray().ToDictionary(
            r => $"{r.GetProperty("kind").GetString()}/{r.GetProperty("id").GetString()}", r => r.GetRawText()), StringComparer.Ordinal);

    private static JsonElement StateOf(JsonElement snapshot, string key) =>
        snapshot.GetProperty("entities").EnumerateArray()
            .Single(r => $"{r.GetProperty("kind").GetString()}/{r.GetProperty("id").GetString()}" == key).GetProperty("state");
}
