using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lagesbild.Testing;
using UglyToad.PdfPig;

namespace Lagesbild.Access.Tests;

/// <summary>
/// The exports for the krisledningsmöte as a reader gets them: the samlad lägesbild's figures as real
/// text on a page that is not blank, ÖVNING on every page of an exercise's exports and on none of
/// live's, a report's awkward text surviving the CSV (and never run as a formula), a partner's
/// exports without the city's internal notes, and the public refused.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class ExportsTests(AccessServer fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_samlad_lagesbild_as_pdf_carries_its_figures_as_text_on_a_page_that_is_not_blank()
    {
        var overview = await fixture.Central.GetFromJsonAsync<JsonElement>("api/pictures/live/overview");

        using var response = await fixture.Central.GetAsync("api/pictures/live/exports/overview.pdf");
        var pdf = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pages = PdfText.Pages(pdf);
        var text = string.Join("\n", pages);
        output.WriteLine(text[..Math.Min(3000, text.Length)]);
        var points = overview.GetProperty("points");
        Assert.Contains("Samlad lägesbild", text);
        Assert.Contains($"{points.GetProperty("inOperation").GetInt32()} trygghetspunkter, {points.GetProperty("visitors").GetInt32()} besökare av kapacitet {points.GetProperty("capacity").GetInt32()}", text);
        Assert.Contains($"På reservkraft: {points.GetProperty("onBackupPower").GetInt32()}", text);
        foreach (var sector in overview.GetProperty("sectors").EnumerateArray())
            Assert.Contains(sector.GetProperty("name").GetString()!, text);
        foreach (var reporter in overview.GetProperty("reports").EnumerateArray())
            Assert.Contains(reporter.GetProperty("name").GetString()!, text);
        // Made at the picture's number, or later if something changed in between.
        var madeAt = long.Parse(Regex.Match(text, @"lägesbildens nummer (\d+)").Groups[1].Value);
        Assert.True(madeAt >= overview.GetProperty("seq").GetInt64(), $"made at {madeAt}");
        Assert.All(pages.Select((page, i) => (page, i)), p => Assert.Contains($"Sida {p.i + 1} av {pages.Length}", p.page));

        var inked = PdfText.InkedShareOfFirstPage(pdf);
        output.WriteLine($"first page: {inked:P2} of its pixels inked");
        Assert.True(inked > 0.005, $"The first page is blank ({inked:P3} of its pixels inked).");
    }

    [Fact]
    public async Task An_exercise_prints_OVNING_on_every_page_of_every_export_and_live_on_none()
    {
        var exercise = $"ex-export-{Guid.NewGuid():N}"[..20];
        using (var created = await fixture.Central.SendJsonAsync("POST", "api/pictures", $$"""{"id":"{{exercise}}","name":"Exportövning"}"""))
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        // Enough beslut with long texts that the minutes run over several pages.
        for (var i = 0; i < 14; i++)
        {
            var answer = await Resolution($"Övningsbeslut {i}", await SeqAsync(exercise), text: string.Join(' ', Enumerable.Repeat($"Beslutstext {i} om trygghetspunkterna i Söderort.", 40)))
                .SendAsync(fixture.Central, exercise);
            Assert.True(answer.Accepted, $"{answer.Status} {answer.Detail}");
        }
        var report = await ValidCommands.SubmitReport("body-central-krisledning", 1).SendAsync(fixture.Central, exercise);
        Assert.True(report.Accepted, $"{report.Status} {report.Detail}");
        var liveReport = await ValidCommands.SubmitReport("body-central-krisledning", 2).SendAsync(fixture.Central);
        Assert.True(liveReport.Accepted, $"{liveReport.Status} {liveReport.Detail}");
        await fixture.WaitForSeqAsync(liveReport.Seq!.Value);

        string[] exports = ["exports/overview.pdf", "exports/minutes.pdf", "exports/reports/body-central-krisledning.pdf"];
        foreach (var export in exports)
        {
            var pages = PdfText.Pages(await fixture.Central.GetByteArrayAsync($"api/pictures/{exercise}/{export}"));
            output.WriteLine($"{exercise}/{export}: {pages.Length} pages");
            Assert.NotEmpty(pages);
            Assert.All(pages, page => Assert.Contains("ÖVNING", page));
            if (export.Contains("minutes"))
                Assert.True(pages.Length > 1, $"the minutes have {pages.Length} page(s)");

            var live = PdfText.Pages(await fixture.Central.GetByteArrayAsync($"api/pictures/live/{export}"));
            Assert.NotEmpty(live);
            Assert.All(live, page => Assert.DoesNotContain("ÖVNING", page));
        }
        var json = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/{exercise}/exports/reports.json");
        Assert.True(json.GetProperty("exercise").GetBoolean());
        Assert.False((await fixture.Central.GetFromJsonAsync<JsonElement>("api/pictures/live/exports/reports.json")).GetProperty("exercise").GetBoolean());
    }

    [Fact]
    public async Task A_report_text_with_a_separator_a_quote_a_line_break_and_a_leading_equals_sign_survives_the_csv_and_is_never_a_formula()
    {
        const string awkward = "=HYPERLINK(\"http://x\";\"klicka\"); se \"bilaga\"\nandra raden";
        var report = ValidCommands.SubmitReport("district-farsta", 41);
        report.Body["contents"]!["actions"] = awkward;
        using var sara = fixture.Server.CreateClient("sara");
        var sent = await report.SendAsync(sara);
        Assert.True(sent.Accepted, $"{sent.Status} {sent.Detail}");
        await fixture.WaitForSeqAsync(sent.Seq!.Value);

        using var response = await fixture.Central.GetAsync("api/pictures/live/exports/reports.csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = Csv.Parse(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        var header = rows[0];
        Assert.Equal(["Rapportör", "Namn", "Nummer", "Version"], header[..4]);
        var row = rows.Single(r => r[header.IndexOf("Loggbokspost")] == sent.Seq.ToString());
        Assert.Equal("'" + awkward, row[header.IndexOf("Vidtagna åtgärder")]);
        Assert.Equal("district-farsta", row[0]);
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
        Assert.DoesNotContain(rows.SelectMany(r => r), field => field.StartsWith('='));

        // The JSON export keeps the text as it was written.
        var json = await fixture.Central.GetFromJsonAsync<JsonElement>("api/pictures/live/exports/reports.json");
        var version = json.GetProperty("reports").EnumerateArray().Single(r => r.GetProperty("seq").GetInt64() == sent.Seq);
        Assert.Equal(awkward, version.GetProperty("contents").GetProperty("actions").GetString());
    }

    [Fact]
    public async Task A_partners_exports_carry_no_internal_note_and_the_citys_carry_them_all()
    {
        var resolutionNote = $"INTERNBESLUT{Guid.NewGuid():N}";
        var taskNote = $"INTERNUPPDRAG{Guid.NewGuid():N}";
        var reportNote = $"INTERNRAPPORT{Guid.NewGuid():N}";
        var resolution = Resolution("Bränsle prioriteras till Farsta", await SeqAsync("live"), district: "farsta");
        resolution.Body["reason"] = resolutionNote;
        resolution.Body["internal"] = true;
        var decided = await resolution.SendAsync(fixture.Central);
        Assert.True(decided.Accepted, $"{decided.Status} {decided.Detail}");
        var task = Assignment("Kör diesel till Storforsplan", "farsta");
        task.Body["reason"] = taskNote;
        task.Body["internal"] = true;
        var sent = await task.SendAsync(fixture.Central);
        Assert.True(sent.Accepted, $"{sent.Status} {sent.Detail}");
        var report = ValidCommands.SubmitReport("district-farsta", 42);
        report.Body["reason"] = reportNote;
        report.Body["internal"] = true;
        using var sara = fixture.Server.CreateClient("sara");
        var reported = await report.SendAsync(sara);
        Assert.True(reported.Accepted, $"{reported.Status} {reported.Detail}");
        await fixture.WaitForSeqAsync(reported.Seq!.Value);

        using var polis = fixture.Server.CreateClient("polis");
        string[] exports = ["overview.pdf", "minutes.pdf", "minutes.csv", "reports.csv", "reports.json", "reports/district-farsta.pdf"];
        var partners = new List<string>();
        var citys = new List<string>();
        foreach (var export in exports)
        {
            partners.Add(await ReadAsync(polis, $"api/pictures/live/exports/{export}"));
            citys.Add(await ReadAsync(fixture.Central, $"api/pictures/live/exports/{export}"));
        }
        var partner = string.Join("\n", partners);
        var city = string.Join("\n", citys);

        Assert.Contains("Bränsle prioriteras till Farsta", partner);
        Assert.Contains("Kör diesel till Storforsplan", partner);
        Assert.Contains("Strömavbrott 42", partner);
        Assert.DoesNotContain(resolutionNote, partner);
        Assert.DoesNotContain(taskNote, partner);
        Assert.DoesNotContain(reportNote, partner);
        Assert.Contains(resolutionNote, city);
        Assert.Contains(taskNote, city);
        Assert.Contains(reportNote, city);
    }

    [Fact]
    public async Task The_public_may_neither_export_nor_search_and_is_told_why()
    {
        using var allmanhet = fixture.Server.CreateClient("allmanhet");
        string[] reads =
        [
            "exports/overview.pdf", "exports/minutes.pdf", "exports/minutes.csv", "exports/reports.csv", "exports/reports.json",
            "exports/reports/district-farsta.pdf", "resolutions/search?text=el",
        ];
        foreach (var read in reads)
        {
            using var response = await allmanhet.GetAsync($"api/pictures/live/{read}");
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{read}: {(int)response.StatusCode}");
            Assert.Contains("publika vyn", problem.GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task Beslut_and_uppdrag_are_found_by_text_who_district_and_time_range_a_page_at_a_time()
    {
        var token = $"sok{Guid.NewGuid():N}"[..12];
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var a = Resolution($"Evakuering {token}", await SeqAsync("live"), district: "farsta");
        var b = Resolution($"Bränsle {token}", await SeqAsync("live"), decidedBy: "Kalle Sökare");
        var c = Assignment($"Sandsäckar {token}", "sodermalm");
        foreach (var request in new[] { a, b, c })
        {
            var answer = await request.SendAsync(fixture.Central);
            Assert.True(answer.Accepted, $"{answer.Status} {answer.Detail}");
            await fixture.WaitForSeqAsync(answer.Seq!.Value);
        }
        var after = DateTimeOffset.UtcNow.AddSeconds(1);

        async Task<string[]> Found(string query)
        {
            var page = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/resolutions/search?{query}");
            return page.GetProperty("hits").EnumerateArray().Select(h => h.GetProperty("id").GetString()!).ToArray();
        }

        Assert.Equal([c.Target, b.Target, a.Target], await Found($"text={token}"));
        Assert.Equal([a.Target], await Found($"text=EVAKUERING+{token}"));
        Assert.Equal([b.Target], await Found($"text={token}&who=kalle"));
        Assert.Equal([c.Target], await Found($"text={token}&who=sodermalm"));
        Assert.Equal([a.Target], await Found($"text={token}&district=farsta"));
        Assert.Equal([c.Target], await Found($"text={token}&district=sodermalm"));
        Assert.Equal(3, (await Found($"text={token}&from={Uri.EscapeDataString(before.ToString("O"))}&to={Uri.EscapeDataString(after.ToString("O"))}")).Length);
        Assert.Empty(await Found($"text={token}&from={Uri.EscapeDataString(after.ToString("O"))}"));
        Assert.Empty(await Found($"text={token}&to={Uri.EscapeDataString(before.ToString("O"))}"));

        var first = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/resolutions/search?text={token}&limit=2");
        var second = await fixture.Central.GetFromJsonAsync<JsonElement>($"api/pictures/live/resolutions/search?text={token}&limit=2&offset=2");
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal(2, first.GetProperty("hits").GetArrayLength());
        Assert.Equal(a.Target, second.GetProperty("hits")[0].GetProperty("id").GetString());
        // A partner searches too: beslut are read by observers, their notes are not in a hit.
        using var polis = fixture.Server.CreateClient("polis");
        Assert.Equal(3, (await polis.GetFromJsonAsync<JsonElement>($"api/pictures/live/resolutions/search?text={token}")).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("from=2026-12-06T12:00:00Z&to=2026-12-06T11:00:00Z", "from")]
    [InlineData("district=atlantis", "district")]
    [InlineData("text=TOO_LONG", "text")]
    [InlineData("limit=0", "limit")]
    public async Task A_bad_search_is_refused_in_swedish_naming_the_field(string query, string field)
    {
        query = query.Replace("TOO_LONG", new string('x', 201));

        using var response = await fixture.Central.GetAsync($"api/pictures/live/resolutions/search?{query}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        output.WriteLine(problem.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Matches("[åäöÅÄÖ]|Måste|Får|finns|tecken|mellan", errors.GetProperty(field)[0].GetString()!);
    }

    [Fact]
    public async Task Minutes_for_a_range_that_ends_before_it_begins_are_refused_naming_the_field()
    {
        using var response = await fixture.Central.GetAsync("api/pictures/live/exports/minutes.pdf?from=2026-12-06T12:00:00Z&to=2026-12-06T11:00:00Z");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Måste ligga före", problem.GetProperty("errors").GetProperty("from")[0].GetString());
    }

    private async Task<long> SeqAsync(string picture) => (await fixture.Central.DigestAsync(picture)).Seq;

    private static CommandRequest Resolution(string title, long pictureSeq, string? district = null, string decidedBy = "Anna Berg", string text = "Trygghetspunkterna i Söderort öppnas kl. 18.")
    {
        var id = $"b-export-{Guid.NewGuid():N}"[..30];
        return new CommandRequest("RecordResolution", id, "POST", "resolutions", new JsonObject
        {
            ["title"] = title,
            ["text"] = text,
            ["mandate"] = "CentralCrisisManagement",
            ["decidedBy"] = decidedBy,
            ["basis"] = new JsonObject { ["pictureSeq"] = Math.Max(1, pictureSeq) },
            ["district"] = district,
            ["affected"] = "Boende i Söderort",
            ["communicatedTo"] = "Stadsdelsförvaltningarna",
        }, IdInBody: id);
    }

    private static CommandRequest Assignment(string title, string district)
    {
        var id = $"u-export-{Guid.NewGuid():N}"[..30];
        return new CommandRequest("SendAssignment", id, "POST", "assignments", new JsonObject
        {
            ["title"] = title,
            ["instructions"] = "Ring varje punkt.",
            ["to"] = new JsonObject { ["kind"] = "District", ["id"] = district },
            ["due"] = DateTimeOffset.UtcNow.AddHours(4).ToString("O"),
            ["reportBack"] = "Svara i Lagesbild",
        }, IdInBody: id);
    }

    /// <summary>An export as text: a PDF's extracted words, anything else as it came.</summary>
    private static async Task<string> ReadAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return response.Content.Headers.ContentType?.MediaType == "application/pdf" ? string.Join("\n", PdfText.Pages(bytes)) : Encoding.UTF8.GetString(bytes);
    }
}

/// <summary>A PDF read as a person would: the text of each page (PdfPig), and how much of a rendered page is ink (pdftoppm).</summary>
public static class PdfText
{
    public static string[] Pages(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(page => string.Join(' ', page.GetWords().Select(word => word.Text))).ToArray();
    }

    /// <summary>The share of the first page's pixels that are not white, rendered in grey at 40 dpi by poppler's pdftoppm.</summary>
    public static double InkedShareOfFirstPage(byte[] pdf)
    {
        var directory = Directory.CreateTempSubdirectory("lagesbild-pdf-");
        try
        {
            var file = Path.Combine(directory.FullName, "export.pdf");
            File.WriteAllBytes(file, pdf);
            using var render = Process.Start(new ProcessStartInfo("pdftoppm", ["-gray", "-r", "40", "-f", "1", "-l", "1", "-singlefile", file, Path.Combine(directory.FullName, "page")])
            {
                RedirectStandardError = true,
            }) ?? throw new InvalidOperationException("pdftoppm did not start (apt-get install poppler-utils; ./test.sh installs it).");
            var errors = render.StandardError.ReadToEnd();
            render.WaitForExit();
            Assert.True(render.ExitCode == 0, $"pdftoppm: {errors}");
            var (width, height, pixels) = Pgm(File.ReadAllBytes(Path.Combine(directory.FullName, "page.pgm")));
            return (double)pixels.Count(p => p < 200) / (width * height);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>A binary PGM (P5, 8 bits): its size and grey values.</summary>
    private static (int Width, int Height, byte[] Pixels) Pgm(byte[] file)
    {
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)file[position]) || file[position] == '#')
            {
                if (file[position] == '#')
                    while (file[position] != '\n') position++;
                position++;
            }
            var start = position;
            while (!char.IsWhiteSpace((char)file[position])) position++;
            return Encoding.ASCII.GetString(file, start, position - start);
        }
        Assert.Equal("P5", Token());
        var width = int.Parse(Token());
        var height = int.Parse(Token());
        Assert.Equal("255", Token());
        position++;
        return (width, height, file[position..(position + width * height)]);
    }
}

/// <summary>An RFC 4180 reader for the tests, written from the RFC: quoted fields, doubled quotes, line breaks inside quotes; separator ;.</summary>
public static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ';') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString()); field.Clear();
                rows.Add(row); row = [];
                i++;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        return rows;
    }
}
