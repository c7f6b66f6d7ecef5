using Lagesbild.Bench.Measure;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Bench;

/// <summary>What the replay scenario measured: filling a picture, jumping in it, and taking it out and in again as a file.</summary>
/// <param name="ColdJumpSeconds">The first jump, past every checkpoint the background had not built yet.</param>
/// <param name="JumpSeconds">Jumps to random moments of the filled picture (after the first).</param>
/// <param name="ImportedJumpSeconds">Jumps to random moments of the imported picture (its checkpoints are built by the import).</param>
/// <param name="DigestMismatches">Moments at which the imported picture's digest differed from the original's.</param>
public sealed record ReplayResult(
    long Entries, double FillSeconds, double ColdJumpSeconds, Stats JumpSeconds, double ExportSeconds, long ExportBytes,
    double ImportSeconds, Stats ImportedJumpSeconds, int DigestsCompared, int DigestMismatches);

/// <summary>Median and maximum of a few timings.</summary>
public sealed record Stats(int Count, double Median, double Max)
{
    public static Stats Of(List<double> values)
    {
        values.Sort();
        return new Stats(values.Count, values.Count == 0 ? double.NaN : values[values.Count / 2], values.Count == 0 ? double.NaN : values[^1]);
    }
}

/// <summary>
/// The replay and file targets of issue 17: a picture of <c>--entries</c> loggbok entries (100,000
/// by default) is filled through the HTTP API as operators fill it, then jumped in at random
/// moments, exported, imported as a new picture and jumped in again, its digests compared with
/// the original's at the moments jumped to.
/// </summary>
public static class ReplayRun
{
    public const int DefaultEntries = 100_000;
    private const int Writers = 32;
    private const int Jumps = 20;

    public static async Task<ReplayResult> RunAsync(BenchOptions options)
    {
        var target = options.Entries ?? DefaultEntries;
        await using var nodes = await ServerNodes.StartAsync(1, options.Redis, options.ServerAssembly);
        using var http = nodes.CreateClients()[0];
        http.Timeout = TimeSpan.FromMinutes(10);

        var snapshot = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
        var points = snapshot.GetProperty("entities").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "SafetyPoint").Select(e => e.GetProperty("id").GetString()!).ToArray();
        var (seeded, _) = await http.DigestAsync();
        var remaining = target - seeded;
        Console.Error.WriteLine($"replay: filling the live picture from {seeded:N0} to {target:N0} entries with {Writers} writers over HTTP");
        var fill = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async writer =>
        {
            for (var i = writer; i < remaining; i += Writers)
                await http.ReportWaterAsync(points[i % points.Length], i % 5000);
        }));
        fill.Stop();
        var (last, _) = await http.DigestAsync();
        Console.Error.WriteLine($"replay: {last:N0} entries in {fill.Elapsed.TotalSeconds:0} s");

        var random = new Random(17);
        var moments = Enumerable.Range(0, Jumps + 1).Select(_ => random.NextInt64(1, last + 1)).ToArray();
        var cold = await Timed.SecondsAsync(() => http.GetByteArrayAsync($"api/pictures/live/replay/snapshot?seq={moments[0]}"));
        var jumps = new List<double>();
        foreach (var seq in moments.Skip(1))
            jumps.Add(await Timed.SecondsAsync(() => http.GetByteArrayAsync($"api/pictures/live/replay/snapshot?seq={seq}")));

        byte[] file = [];
        var export = await Timed.SecondsAsync(async () => file = await http.GetByteArrayAsync("api/pictures/live/loggbok/export"));
        Console.Error.WriteLine($"replay: exported {file.Length / 1e6:0.0} MB in {export:0.00} s; importing");
        var import = await Timed.SecondsAsync(async () =>
        {
            using var content = new ByteArrayContent(file);
            content.Headers.ContentType = new("application/x-ndjson");
            using var response = await http.PostAsync("api/pictures/ex-import/loggbok/import", content);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"import: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        });

        foreach (var line in nodes.Nodes[0].Output.Split('\n').Where(l => l.Contains("loggbok entries of", StringComparison.Ordinal)))
            Console.Error.WriteLine($"replay: server says: {line.Trim()}");

        var importedJumps = new List<double>();
        var mismatches = 0;
        foreach (var seq in moments)
        {
            importedJumps.Add(await Timed.SecondsAsync(() => http.GetByteArrayAsync($"api/pictures/ex-import/replay/snapshot?seq={seq}")));
            var original = await http.GetFromJsonAsync<JsonElement>($"api/pictures/live/replay/digest?seq={seq}");
            var imported = await http.GetFromJsonAsync<JsonElement>($"api/pictures/ex-import/replay/digest?seq={seq}");
            if (original.GetProperty("digest").GetString() != imported.GetProperty("digest").GetString())
                mismatches++;
        }
        return new ReplayResult(last, fill.Elapsed.TotalSeconds, cold, Stats.Of(jumps), export, file.Length, import, Stats.Of(importedJumps), moments.Length, mismatches);
    }

    public static void AppendTable(StringBuilder text, ReplayResult replay)
    {
        text.AppendLine();
        text.AppendLine("| replay and file | entries | seconds | note |");
        text.AppendLine("| --- | --- | --- | --- |");
        text.AppendLine($"| fill over HTTP ({Writers} writers) | {replay.Entries:N0} | {replay.FillSeconds:0.0} | {replay.Entries / replay.FillSeconds:0} changes/s |");
        text.AppendLine($"| first jump (builds missing checkpoints) | {replay.Entries:N0} | {replay.ColdJumpSeconds:0.000} | |");
        text.AppendLine($"| jump to a random moment | {replay.Entries:N0} | median {replay.JumpSeconds.Median:0.000}, max {replay.JumpSeconds.Max:0.000} | {replay.JumpSeconds.Count} jumps |");
        text.AppendLine($"| export | {replay.Entries:N0} | {replay.ExportSeconds:0.00} | {replay.ExportBytes / 1e6:0.0} MB |");
        text.AppendLine($"| import as a new picture | {replay.Entries:N0} | {replay.ImportSeconds:0.00} | checked line by line, then stored |");
        text.AppendLine($"| jump in the imported picture | {replay.Entries:N0} | median {replay.ImportedJumpSeconds.Median:0.000}, max {replay.ImportedJumpSeconds.Max:0.000} | digests differing from the original: {replay.DigestMismatches} of {replay.DigestsCompared} |");
    }
}
