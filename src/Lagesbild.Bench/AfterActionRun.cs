using Lagesbild.Bench.Measure;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>What the after-action scenario measured: an exercise the size of a STADSÖ day, filled, stopped and reported on.</summary>
/// <param name="Entries">The exercise picture's loggbok entries when it was stopped.</param>
/// <param name="InjectsAnswered">Inspel the report matched to a response (every one is answered by its desk's lägesrapport).</param>
/// <param name="FirstJsonSeconds">The first request for the report as page data (exports/after-action.json) after the stop.</param>
/// <param name="JsonSeconds">Every request for it, the first included.</param>
/// <param name="FirstPdfSeconds">The first request for the report as PDF (exports/after-action.pdf), right after the first as page data.</param>
public sealed record AfterActionResult(
    int Invitations, int Injects, long Entries, double FillSeconds, int Reports, int Decisions, int Tasks,
    int TimelineItems, int InjectsAnswered, double FirstJsonSeconds, Stats JsonSeconds, long JsonBytes, double FirstPdfSeconds, Stats PdfSeconds, long PdfBytes);

/// <summary>
/// The after-action report's build time on a STADSÖ-sized exercise (issue 17): an exercise of about 500 people
/// (200 invitations by role, the most an exercise takes, most of them naming a staff rather than one person) and 200 inspel is filled through the HTTP API as a day of it fills it — every inspel sent by
/// exercise control and answered by its desk's lägesrapport, besides <c>--entries</c> loggbok entries in all
/// (30,000 by default) of lägesrapporter, beslut and uppdrag with their steps — then stopped, and its
/// after-action report is asked for as page data and as PDF a few times each.
/// </summary>
public static class AfterActionRun
{
    public const int DefaultEntries = 30_000;
    private const string Picture = "ex-stadso-bench";
    /// <summary>The most an exercise takes (ExerciseAbout's check); STADSÖ's ~500 people are invited as staffs and persons.</summary>
    private const int Invitations = 200;
    private const int Injects = 200;
    private const int Writers = 16;
    private const int Asks = 5;

    /// <summary>The desks that receive inspel and answer them, with the demo user who holds each and its report stream.</summary>
    private static readonly (string User, string Kind, string Id, string Stream)[] Desks =
    [
        ("sara", "District", "farsta", "district-farsta"),
        ("omar", "District", "sodermalm", "district-sodermalm"),
        ("lena", "Sector", "energiforsorjning", "sector-energiforsorjning"),
    ];

    private static readonly string[] Actors = ["SOS Alarm", "Ellevio", "Polisen", "Region Stockholm", "Stockholm Vatten"];

    public static async Task<AfterActionResult> RunAsync(BenchOptions options)
    {
        var target = options.Entries ?? DefaultEntries;
        await using var nodes = await ServerNodes.StartAsync(1, options.Redis, options.ServerAssembly);
        using var control = nodes.CreateClients("anna")[0];
        control.Timeout = TimeSpan.FromMinutes(10);
        var desks = Desks.Select(d => (Desk: d, Http: nodes.CreateClients(d.User)[0])).ToArray();
        try
        {
            var districts = (await control.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot")).GetProperty("entities").EnumerateArray()
                .Where(e => e.GetProperty("kind").GetString() == "District").Select(e => e.GetProperty("id").GetString()!).ToArray();
            await CreateAsync(control, districts);

            Console.Error.WriteLine($"after-action: {Picture} with {Invitations} invitations and {Injects} inspel; filling to {target:N0} entries with {Writers} writers over HTTP");
            var fill = Stopwatch.StartNew();
            // Every inspel, sent by exercise control and answered by the desk it went to.
            await Parallel.ForEachAsync(Enumerable.Range(0, Injects), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (i, _) =>
            {
                await SendAsync(control, "POST", "exercise/send", $$"""{"inject":"{{InjectId(i)}}"}""");
                var (desk, http) = desks[i % desks.Length];
                await SendAsync(http, "POST", $"reports/{desk.Stream}", Report($"svar på {InjectId(i)}"));
            });
            // The rest of the day, in rounds of four lägesrapporter and a beslut, and in two rounds of three an uppdrag to a
            // district with its three steps: 23 entries every three rounds.
            var (seq, _) = await control.DigestAsync(Picture);
            var rounds = (int)Math.Max(0, (target - seq) * 3 / 23);
            await Parallel.ForEachAsync(Enumerable.Range(0, rounds), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (i, _) =>
            {
                var (desk, http) = desks[i % desks.Length];
                for (var r = 0; r < 4; r++)
                    await SendAsync(desks[(i + r) % desks.Length].Http, "POST", $"reports/{desks[(i + r) % desks.Length].Desk.Stream}", Report($"läge {i}.{r}"));
                await SendAsync(control, "POST", "resolutions", $$"""
                    {"id":"b-{{i}}","title":"Beslut {{i}}","text":"Reservkraft prioriteras till trygghetspunkter i {{desk.Id}}","mandate":"CentralCrisisManagement",
                     "decidedBy":"Anna Berg","basis":{"pictureSeq":1} }
                    """);
                if (desk.Kind != "District")
                    return;
                await SendAsync(control, "POST", "assignments", $$"""
                    {"id":"u-{{i}}","title":"Uppdrag {{i}}","instructions":"Rapportera bränsleläget","to":{"kind":"District","id":"{{desk.Id}}"},
                     "due":"{{DateTimeOffset.UtcNow.AddHours(4):O}}"}
                    """);
                foreach (var step in new[] { "acknowledge", "start", "complete" })
                    await SendAsync(http, "POST", $"assignments/u-{i}/{step}", "{}");
            });
            await SendAsync(control, "POST", "exercise/stop", "{}");
            fill.Stop();
            var (entries, _) = await control.DigestAsync(Picture);
            Console.Error.WriteLine($"after-action: {entries:N0} entries in {fill.Elapsed.TotalSeconds:0} s; stopped; asking for the report {Asks} times as JSON and as PDF");

            var jsonTimes = new List<double>();
            var pdfTimes = new List<double>();
            byte[] json = [], pdf = [];
            for (var i = 0; i < Asks; i++)
            {
                jsonTimes.Add(await Timed.SecondsAsync(async () => json = await control.GetByteArrayAsync($"api/pictures/{Picture}/exports/after-action.json")));
                pdfTimes.Add(await Timed.SecondsAsync(async () => pdf = await control.GetByteArrayAsync($"api/pictures/{Picture}/exports/after-action.pdf")));
            }
            var (firstJson, firstPdf) = (jsonTimes[0], pdfTimes[0]);
            var report = JsonDocument.Parse(json).RootElement.GetProperty("report");
            if (report.GetProperty("preliminary").GetBoolean())
                throw new InvalidOperationException("after-action: the report is still preliminary after the stop");
            var answered = report.GetProperty("injects").EnumerateArray().Count(r => r.TryGetProperty("timeToResponse", out var t) && t.ValueKind != JsonValueKind.Null);
            var reports = Injects + 4 * rounds;
            var decisions = rounds;
            var tasks = Enumerable.Range(0, rounds).Count(i => Desks[i % Desks.Length].Kind == "District");
            return new AfterActionResult(Invitations, Injects, entries, fill.Elapsed.TotalSeconds, reports, decisions, tasks,
                report.GetProperty("timeline").GetArrayLength(), answered, firstJson, Stats.Of(jsonTimes), json.Length, firstPdf, Stats.Of(pdfTimes), pdf.Length);
        }
        finally
        {
            foreach (var (_, http) in desks)
                http.Dispose();
        }
    }

    /// <summary>The exercise, its participants invited by role (every district's staffs, the sectors', central's, the TiB's, partners) and its 200 inspel.</summary>
    private static async Task CreateAsync(HttpClient control, string[] districts)
    {
        var invitations = Enumerable.Range(0, Invitations).Select(i => (i % 10) switch
        {
            < 6 => new { role = "district", district = (string?)districts[i % districts.Length], sector = (string?)null, name = $"Stab {i} (3 personer)" },
            < 8 => new { role = "sector", district = (string?)null, sector = (string?)"energiforsorjning", name = $"Sektorsstab {i} (2 personer)" },
            8 => new { role = "central", district = (string?)null, sector = (string?)null, name = $"Central krisledning, funktion {i}" },
            _ => new { role = i % 20 == 9 ? "tib" : "observer", district = (string?)null, sector = (string?)null, name = $"Deltagare {i}" },
        }).ToArray();
        var body = JsonSerializer.Serialize(new
        {
            id = Picture, name = "STADSÖ-bänk", description = "En dag i STADSÖ:s storlek för benchmarken", startsAt = DateTimeOffset.UtcNow,
            participants = invitations,
        });
        using (var created = await control.SendJsonAsync("POST", "api/pictures", body))
            await EnsureAsync(created, "create the exercise");

        // Scenario times from 10:00, far beyond the fill: every inspel is delivered by hand, none by the clock.
        var csv = new StringBuilder("id;tid;leverans;från;till;text;förväntad åtgärd;mål\n");
        for (var i = 0; i < Injects; i++)
        {
            var at = TimeSpan.FromHours(10) + TimeSpan.FromMinutes(i * 2);
            csv.Append($"{InjectId(i)};{(int)at.TotalHours:00}:{at.Minutes:00}:00;meddelande;{Actors[i % Actors.Length]};{Desks[i % Desks.Length].Id};" +
                $"Inspel {i}: strömavbrott i del {i};Lägesrapport till central krisledning;Mål {1 + i % 6}\n");
        }
        using (var scenario = await control.SendJsonAsync("PUT", $"api/pictures/{Picture}/scenario", csv.ToString(), "text/csv"))
            await EnsureAsync(scenario, "import the scenario");
        using (var started = await control.SendJsonAsync("POST", $"api/pictures/{Picture}/exercise/start", """{"speed":1}"""))
            await EnsureAsync(started, "start the exercise");
    }

    private static string InjectId(int i) => $"S-{i + 1:D3}";

    private static string Report(string what) => $$"""
        {"contents":{"event":{"what":"{{what}}","where":"Söderort","when":"i dag","source":"egen"},
         "consequences":{"now":"Ingen ström i delar av området","shortTerm":null,"longTerm":null,"affected":"boende"},
         "actions":"Trygghetspunkter öppnade","resourcesAndNeeds":null,"actors":null,"forecast":"Oförändrat närmaste timmarna","decisionsOrCoordination":null} }
        """;

    private static async Task SendAsync(HttpClient http, string method, string path, string json)
    {
        using var response = await http.SendJsonAsync(method, $"api/pictures/{Picture}/{path}", json);
        await EnsureAsync(response, $"{method} {path}");
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"after-action: {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static void AppendTable(StringBuilder text, AfterActionResult run)
    {
        text.AppendLine();
        text.AppendLine("| after-action report (STADSÖ-sized) | figure | note |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine($"| exercise | {run.Invitations} invitations (the most an exercise takes), {run.Injects} inspel, {run.Entries:N0} entries | {run.Reports:N0} lägesrapporter, {run.Decisions:N0} beslut, {run.Tasks:N0} uppdrag (each acknowledged, started, completed) |");
        text.AppendLine($"| fill over HTTP ({Writers} writers) | {run.FillSeconds:0.0} s | {run.Entries / run.FillSeconds:0} changes/s |");
        text.AppendLine($"| report as page data (JSON) | first after the stop {run.FirstJsonSeconds:0.000} s; median {run.JsonSeconds.Median:0.000} s, max {run.JsonSeconds.Max:0.000} s of {run.JsonSeconds.Count} | {run.JsonBytes / 1e6:0.0} MB; {run.TimelineItems:N0} timeline items; {run.InjectsAnswered} of {run.Injects} inspel answered |");
        text.AppendLine($"| report as PDF | first {run.FirstPdfSeconds:0.000} s; median {run.PdfSeconds.Median:0.000} s, max {run.PdfSeconds.Max:0.000} s of {run.PdfSeconds.Count} | {run.PdfBytes / 1e6:0.0} MB |");
    }
}
