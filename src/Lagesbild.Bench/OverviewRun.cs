using Lagesbild.Bench.Measure;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>What the overview scenario measured: the samlad lägesbild's build time and the join's size, before and after 1,000 reports.</summary>
/// <param name="OverviewMs">GET /overview round trips on the same machine (the build and its JSON), with 1,000 reports in the history.</param>
/// <param name="SinceMs">The same with "since the last orientation" reaching back over all 1,000 reports.</param>
public sealed record OverviewResult(int Reports, double FillSeconds, long JoinBytesBefore, long JoinBytesAfter, long OverviewBytes, Stats OverviewMs, Stats SinceMs);

/// <summary>
/// Issue 14's size and speed targets: 1,000 lägesrapporter are written through the HTTP API by the
/// desks that write them (Farsta, Södermalm, a sector, central krisledning); the samlad lägesbild is
/// then read 20 times, without and with "since", and the join's snapshot is weighed before and after
/// (report texts live in the loggbok, so the join must not grow with them).
/// </summary>
public static class OverviewRun
{
    public const int Reports = 1000;
    private const int Reads = 20;

    private static readonly (string User, string Stream)[] Writers =
    [
        ("sara", "district-farsta"), ("omar", "district-sodermalm"), ("lena", "sector-energiforsorjning"), ("anna", "body-central-krisledning"),
    ];

    public static async Task<OverviewResult> RunAsync(BenchOptions options)
    {
        await using var nodes = await ServerNodes.StartAsync(1, options.Redis, options.ServerAssembly);
        var node = nodes.Nodes[0];
        using var anna = node.CreateClient("anna");
        var start = DateTimeOffset.UtcNow;
        var before = (await anna.GetByteArrayAsync("api/pictures/live/snapshot")).LongLength;

        var fill = Stopwatch.StartNew();
        await FillAsync(node);
        fill.Stop();
        var after = (await anna.GetByteArrayAsync("api/pictures/live/snapshot")).LongLength;

        var overviewBytes = (await anna.GetByteArrayAsync("api/pictures/live/overview")).LongLength;
        var plain = new List<double>();
        var since = new List<double>();
        var sinceQuery = $"api/pictures/live/overview?since={Uri.EscapeDataString(start.ToString("O"))}";
        for (var i = 0; i < Reads; i++)
        {
            plain.Add(await Timed.MillisecondsAsync(() => anna.GetByteArrayAsync("api/pictures/live/overview")));
            since.Add(await Timed.MillisecondsAsync(() => anna.GetByteArrayAsync(sinceQuery)));
        }
        return new OverviewResult(Reports, fill.Elapsed.TotalSeconds, before, after, overviewBytes, Stats.Of(plain), Stats.Of(since));
    }

    /// <summary>Writes the 1,000 reports through the HTTP API and waits until the node's picture has them all.</summary>
    public static async Task FillAsync(ServerProcess node)
    {
        await Task.WhenAll(Writers.Select(async (writer, w) =>
        {
            using var http = node.CreateClient(writer.User);
            for (var i = w; i < Reports; i += Writers.Length)
            {
                using var response = await http.PostAsJsonAsync($"api/pictures/live/reports/{writer.Stream}", new JsonObject { ["contents"] = Contents(i) });
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"report {i} by {writer.User}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }));
        using var anna = node.CreateClient("anna");
        var (seq, _) = await anna.DigestAsync();
        await WaitForAsync(anna, seq);
    }

    /// <summary>A report of ordinary length: every part filled with a sentence or two.</summary>
    public static JsonObject Contents(int i) => new()
    {
        ["event"] = new JsonObject { ["what"] = $"Strömavbrott, rapport {i}", ["where"] = "Hökarängen och Farsta strand", ["when"] = "i dag från 06:40", ["source"] = "Ellevio" },
        ["consequences"] = new JsonObject
        {
            ["now"] = "Omkring 3 000 hushåll utan ström; hemtjänsten når sina brukare men larmen fungerar inte.",
            ["shortTerm"] = "Kylan tränger in i bostäderna under natten.",
            ["longTerm"] = "Inga kända.",
            ["affected"] = "Äldre i hemtjänst, barnfamiljer, två förskolor.",
        },
        ["actions"] = "Trygghetspunkten vid Storforsplan öppnad 08:00; FRG kallade; information i P4 och på webben.",
        ["resourcesAndNeeds"] = "Behöver diesel till reservkraften inom tolv timmar.",
        ["actors"] = "Ellevio, hemtjänsten, FRG, polisen.",
        ["forecast"] = "Ström åter tidigast i kväll enligt Ellevio.",
        ["decisionsOrCoordination"] = "Beslut om bränsleprioritering behövs från central krisledning.",
    };

    public static async Task WaitForAsync(HttpClient http, long seq)
    {
        for (var attempt = 0; attempt < 400; attempt++)
        {
            if ((await http.GetFromJsonAsync<System.Text.Json.JsonElement>("api/pictures/live/snapshot")).GetProperty("seq").GetInt64() >= seq)
                return;
            await Task.Delay(25);
        }
    }

    public static void AppendTable(StringBuilder text, OverviewResult overview)
    {
        text.AppendLine();
        text.AppendLine("| samlad lägesbild | value | note |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine($"| {overview.Reports:N0} reports written over HTTP (4 desks) | {overview.FillSeconds:0.0} s | {overview.Reports / overview.FillSeconds:0} reports/s |");
        text.AppendLine($"| GET /overview (build + JSON, local round trip) | median {overview.OverviewMs.Median:0.0} ms, max {overview.OverviewMs.Max:0.0} ms | {overview.OverviewMs.Count} reads, {overview.OverviewBytes / 1024.0:0.0} KiB; target ≤ 100 ms |");
        text.AppendLine($"| GET /overview?since= over all {overview.Reports:N0} reports | median {overview.SinceMs.Median:0.0} ms, max {overview.SinceMs.Max:0.0} ms | {overview.SinceMs.Count} reads |");
        text.AppendLine($"| join snapshot before / after the reports | {overview.JoinBytesBefore / 1024.0:0.0} KiB / {overview.JoinBytesAfter / 1024.0:0.0} KiB | report texts are read from the loggbok when opened |");
    }
}
