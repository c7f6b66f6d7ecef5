using Lagesbild.Bench.Measure;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>What the exports scenario measured.</summary>
/// <param name="SearchMs">GET /resolutions/search round trips over all beslut and uppdrag (text, who, district, time range, in turn), the index warm.</param>
/// <param name="FirstSearchMs">The first search after the fill: the index built from the picture's states.</param>
/// <param name="OverviewPdfMs">GET /exports/overview.pdf round trips (build of the samlad lägesbild + PDF).</param>
public sealed record ExportsResult(
    int Resolutions, int Assignments, int Reports, int Districts, int Sectors, double FillSeconds,
    double FirstSearchMs, Stats SearchMs, double SearchP99Ms, Stats OverviewPdfMs, long OverviewPdfBytes, Stats MinutesPdfMs, long MinutesPdfBytes);

/// <summary>
/// Issue 15's search target (10,000 beslut and uppdrag searched in ≤ 50 ms) and issue 14's PDF
/// target (the samlad lägesbild of 11 districts and 10 sectors with 1,000 reports in the history as a
/// PDF in ≤ 2 s): the picture is filled through the HTTP API as the desks fill it, then searched and
/// exported as a reader would.
/// </summary>
public static class ExportsRun
{
    private const int Resolutions = 5000;
    private const int Assignments = 5000;
    private const int Reports = 1000;
    private const int Searches = 200;
    private const int PdfReads = 10;
    private const int Writers = 8;

    private static readonly (string User, string Stream)[] Reporters =
    [
        ("sara", "district-farsta"), ("omar", "district-sodermalm"), ("lena", "sector-energiforsorjning"), ("anna", "body-central-krisledning"),
    ];

    private static readonly string[] Districts = ["farsta", "sodermalm", "enskede-arsta-vantor", "skarholmen"];
    private static readonly string[] Words = ["evakuering", "bränsle", "dricksvatten", "reservkraft", "trygghetspunkt", "information", "hemtjänst", "sandsäckar"];

    public static async Task<ExportsResult> RunAsync(BenchOptions options)
    {
        await using var nodes = await ServerNodes.StartAsync(1, options.Redis, options.ServerAssembly);
        var node = nodes.Nodes[0];
        using var anna = node.CreateClient("anna");
        var overview = await anna.GetFromJsonAsync<JsonElement>("api/pictures/live/overview");
        var districts = overview.GetProperty("reports").EnumerateArray().Count(r => r.GetProperty("kind").GetString() == "District");
        var sectors = overview.GetProperty("sectors").GetArrayLength();
        var start = DateTimeOffset.UtcNow;

        var fill = Stopwatch.StartNew();
        var (seq, _) = await anna.DigestAsync();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async w =>
        {
            using var http = node.CreateClient("anna");
            for (var i = w; i < Resolutions + Assignments; i += Writers)
            {
                var (path, body) = i % 2 == 0 ? ("resolutions", Resolution(i, seq)) : ("assignments", Assignment(i));
                using var response = await http.PostAsJsonAsync($"api/pictures/live/{path}", body);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{path} {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }).Concat(Reporters.Select(async (reporter, r) =>
        {
            using var http = node.CreateClient(reporter.User);
            for (var i = r; i < Reports; i += Reporters.Length)
            {
                using var response = await http.PostAsJsonAsync($"api/pictures/live/reports/{reporter.Stream}", new JsonObject { ["contents"] = OverviewRun.Contents(i) });
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"report {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        })));
        fill.Stop();
        var (last, _) = await anna.DigestAsync();
        await OverviewRun.WaitForAsync(anna, last);

        var end = DateTimeOffset.UtcNow;
        string Query(int i) => (i % 4) switch
        {
            0 => $"text={Uri.EscapeDataString(Words[i % Words.Length])}",
            1 => $"who={Uri.EscapeDataString(i % 8 == 1 ? "Beslutsfattare 3" : Districts[i % Districts.Length])}",
            2 => $"district={Districts[i % Districts.Length]}&text={Uri.EscapeDataString(Words[(i / 4) % Words.Length])}",
            _ => $"from={Uri.EscapeDataString(start.AddTicks((end - start).Ticks / 3).ToString("O"))}&to={Uri.EscapeDataString(start.AddTicks((end - start).Ticks / 2).ToString("O"))}",
        };
        var first = await Timed.MillisecondsAsync(() => anna.GetByteArrayAsync($"api/pictures/live/resolutions/search?{Query(0)}"));
        var searches = new List<double>();
        for (var i = 0; i < Searches; i++)
            searches.Add(await Timed.MillisecondsAsync(() => anna.GetByteArrayAsync($"api/pictures/live/resolutions/search?{Query(i)}")));
        var sorted = searches.Order().ToArray();
        var p99 = sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)];

        var overviewPdf = (await anna.GetByteArrayAsync("api/pictures/live/exports/overview.pdf")).LongLength;
        var pdfs = new List<double>();
        for (var i = 0; i < PdfReads; i++)
            pdfs.Add(await Timed.MillisecondsAsync(() => anna.GetByteArrayAsync("api/pictures/live/exports/overview.pdf")));
        // The minutes of a meeting: the last tenth of the fill's time range.
        var minutesQuery = $"api/pictures/live/exports/minutes.pdf?from={Uri.EscapeDataString(end.AddTicks(-(end - start).Ticks / 10).ToString("O"))}";
        var minutesPdf = (await anna.GetByteArrayAsync(minutesQuery)).LongLength;
        var minutes = new List<double>();
        for (var i = 0; i < PdfReads; i++)
            minutes.Add(await Timed.MillisecondsAsync(() => anna.GetByteArrayAsync(minutesQuery)));
        return new ExportsResult(Resolutions, Assignments, Reports, districts, sectors, fill.Elapsed.TotalSeconds,
            first, Stats.Of(searches), p99, Stats.Of(pdfs), overviewPdf, Stats.Of(minutes), minutesPdf);
    }

    private static JsonObject Resolution(int i, long seq) => new()
    {
        ["id"] = $"bench-b-{i}",
        ["title"] = $"Beslut {i}: {Words[i % Words.Length]} i {Districts[i % Districts.Length]}",
        ["text"] = "Trygghetspunkterna i Söderort hålls öppna över natten; bränsle prioriteras till punkter med reservkraft.",
        ["mandate"] = "CentralCrisisManagement",
        ["decidedBy"] = $"Beslutsfattare {i % 10}",
        ["basis"] = new JsonObject { ["pictureSeq"] = Math.Max(1, seq) },
        ["district"] = i % 3 == 0 ? null : Districts[i % Districts.Length],
        ["affected"] = "Boende i Söderort",
        ["communicatedTo"] = "Stadsdelsförvaltningarna, polisen",
    };

    private static JsonObject Assignment(int i) => new()
    {
        ["id"] = $"bench-u-{i}",
        ["title"] = $"Uppdrag {i}: kontrollera {Words[i % Words.Length]}",
        ["instructions"] = "Ring varje punkt och rapportera reservkraft och bränsle.",
        ["to"] = new JsonObject { ["kind"] = "District", ["id"] = Districts[i % Districts.Length] },
        ["due"] = DateTimeOffset.UtcNow.AddHours(6).ToString("O"),
        ["reportBack"] = "Svara i Lagesbild",
    };

    public static void AppendTable(StringBuilder text, ExportsResult r)
    {
        text.AppendLine();
        text.AppendLine("| exports and search | value | note |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine($"| {r.Resolutions:N0} beslut + {r.Assignments:N0} uppdrag + {r.Reports:N0} reports written over HTTP | {r.FillSeconds:0.0} s | {r.Districts} districts, {r.Sectors} sectors |");
        text.AppendLine($"| first search after the fill (index built) | {r.FirstSearchMs:0.0} ms | |");
        text.AppendLine($"| GET /resolutions/search over {r.Resolutions + r.Assignments:N0} (local round trip) | median {r.SearchMs.Median:0.0} ms, p99 {r.SearchP99Ms:0.0} ms, max {r.SearchMs.Max:0.0} ms | {r.SearchMs.Count} searches by text, who, district, time range; target ≤ 50 ms |");
        text.AppendLine($"| GET /exports/overview.pdf | median {r.OverviewPdfMs.Median:0} ms, max {r.OverviewPdfMs.Max:0} ms | {r.OverviewPdfMs.Count} reads, {r.OverviewPdfBytes / 1024.0:0.0} KiB; target ≤ 2 s |");
        text.AppendLine($"| GET /exports/minutes.pdf (last tenth of the fill) | median {r.MinutesPdfMs.Median:0} ms, max {r.MinutesPdfMs.Max:0} ms | {r.MinutesPdfMs.Count} reads, {r.MinutesPdfBytes / 1024.0:0.0} KiB |");
    }
}
