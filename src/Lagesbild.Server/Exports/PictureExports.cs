using System.Text.Json;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Lagesbild.Server.Exercises;
using Lagesbild.Server.Live;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Exports;

/// <summary>
/// Gathers what an export prints, from the same sources the page reads: the samlad lägesbild as
/// <see cref="ReportsApi.BuildAsync"/> builds it for GET /overview, and reports, beslut and uppdrag
/// from their loggbok entries, each passed through <see cref="Redaction.ForObservers"/> for a reader
/// who may not see internal notes (the one redaction, so an export can leak nothing /log would not).
/// </summary>
public sealed class PictureExports
{
    private readonly PictureFeeds _feeds;
    private readonly PictureStore _store;
    private readonly ExerciseAbouts _abouts;
    private readonly IOptions<ReportingRhythmOptions> _rhythm;
    private readonly TimeProvider _clock;

    public PictureExports(PictureFeeds feeds, PictureStore store, ExerciseAbouts abouts, IOptions<ReportingRhythmOptions> rhythm, IOptions<PdfExportOptions> options, TimeProvider clock)
    {
        (_feeds, _store, _abouts, _rhythm, _clock) = (feeds, store, abouts, rhythm, clock);
        // Validated at start (PdfExportOptions), so the fonts are there by the first export.
        ExportFonts.Install(options.Value.FontDirectory);
    }

    /// <summary>The minutes take at most this many beslut and this many uppdrag; a narrower time range takes the rest.</summary>
    public const int MinutesLimit = 2000;
    private const int EntriesPerThing = 1000;

    public async Task<ExportHeading> HeadingAsync(string picture, string title, long seq)
    {
        var name = PictureId.IsExercise(picture)
            ? (await _abouts.GetAsync(picture)).Name ?? picture
            : "Stockholms stad – lägesbild (live)";
        return new ExportHeading(picture, name, title, _clock.GetUtcNow(), seq);
    }

    public Task<SituationOverviewModel> OverviewAsync(string picture, DateTimeOffset? since) =>
        ReportsApi.BuildAsync(picture, since, _feeds, _store, _rhythm.Value.ToRhythm(), _clock.GetUtcNow());

    /// <summary>Every version of the reports of <paramref name="reporter"/> (a stream id, e.g. <c>district-farsta</c>), or of every reporter; oldest first.</summary>
    public async Task<(long Seq, IReadOnlyList<ReportVersion> Versions)> ReportsAsync(string picture, string? reporter, bool seesInternalNotes)
    {
        var overview = await OverviewAsync(picture, null);
        var names = overview.Reports.ToDictionary(r => r.Reporter, r => r.Name, StringComparer.Ordinal);
        var (seq, states) = (await _feeds.GetAsync(picture)).States();
        var prefix = $"{EntityKind.SituationReport}/";
        var streams = states.Select(s => s.Key).Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).Select(key => key[prefix.Length..])
            .Where(stream => reporter is null || stream == reporter)
            .Order(StringComparer.Ordinal).ToArray();
        var entries = await EntriesAsync(picture, EntityKind.SituationReport, streams, seesInternalNotes);
        var versions = new List<ReportVersion>();
        foreach (var (stream, list) in streams.Zip(entries))
        {
            foreach (var entry in list)
            {
                var root = entry;
                var type = root.GetProperty("type").GetString();
                if (type is not (nameof(SituationReportSent) or nameof(SituationReportCorrected)))
                    continue;
                var change = root.GetProperty("change");
                versions.Add(new ReportVersion(
                    stream, names.GetValueOrDefault(stream) ?? stream,
                    change.GetProperty("number").GetInt32(),
                    change.TryGetProperty("version", out var version) ? version.GetInt32() : 1,
                    root.GetProperty("at").GetDateTimeOffset(),
                    root.GetProperty("actor").GetProperty("name").GetString() ?? "",
                    root.GetProperty("seq").GetInt64(),
                    Text(change, "request"), Text(change, "why"),
                    change.GetProperty("contents").Deserialize<ReportContents>(DomainJson.Options)!,
                    Text(root, "reason")));
            }
        }
        return (seq, versions);
    }

    /// <summary>The beslut decided and the uppdrag sent or stepped within the range (either end open), oldest first.</summary>
    public async Task<(long Seq, MeetingMinutes Minutes)> MinutesAsync(string picture, DateTimeOffset? from, DateTimeOffset? to, bool seesInternalNotes)
    {
        bool Within(DateTimeOffset? at) => at is { } t && (from is null || t >= from) && (to is null || t <= to);
        var (seq, states) = (await _feeds.GetAsync(picture)).States();
        var resolutionIds = new List<(string Id, DateTimeOffset At)>();
        var assignmentIds = new List<(string Id, DateTimeOffset At)>();
        foreach (var (key, json) in states)
        {
            if (!EntityRef.TryParse(key, out var entity))
                continue;
            if (entity.Kind == EntityKind.Resolution && JsonSerializer.Deserialize<ResolutionState>(json, DomainJson.Options) is { } resolution
                && Within(resolution.DecidedAt))
                resolutionIds.Add((entity.Id, resolution.DecidedAt));
            else if (entity.Kind == EntityKind.Assignment && JsonSerializer.Deserialize<AssignmentState>(json, DomainJson.Options) is { } task
                && (Within(task.SentAt) || Within(task.ReceivedAt) || Within(task.FinishedAt)))
                assignmentIds.Add((entity.Id, task.SentAt));
        }
        var truncated = resolutionIds.Count > MinutesLimit || assignmentIds.Count > MinutesLimit;
        var resolutionsTaken = resolutionIds.OrderBy(r => r.At).Take(MinutesLimit).Select(r => r.Id).ToArray();
        var assignmentsTaken = assignmentIds.OrderBy(a => a.At).Take(MinutesLimit).Select(a => a.Id).ToArray();
        var resolutionEntries = await EntriesAsync(picture, EntityKind.Resolution, resolutionsTaken, seesInternalNotes);
        var assignmentEntries = await EntriesAsync(picture, EntityKind.Assignment, assignmentsTaken, seesInternalNotes);

        var resolutions = resolutionsTaken.Zip(resolutionEntries).Select(pair => Resolution(pair.First, pair.Second)).OfType<MinutesResolution>().ToList();
        var assignments = assignmentsTaken.Zip(assignmentEntries).Select(pair => Assignment(pair.First, pair.Second)).OfType<MinutesAssignment>().ToList();
        return (seq, new MeetingMinutes(from, to, resolutions, assignments, truncated));
    }

    private static MinutesResolution? Resolution(string id, IReadOnlyList<JsonElement> entries)
    {
        JsonElement? entry = entries.FirstOrDefault(e => e.GetProperty("type").GetString() == nameof(ResolutionRecorded));
        if (entry is not { ValueKind: JsonValueKind.Object })
            return null;
        var root = entry.Value;
        var recorded = root.GetProperty("change").Deserialize<ResolutionRecorded>(DomainJson.Options)!;
        return new MinutesResolution(id, root.GetProperty("seq").GetInt64(), root.GetProperty("at").GetDateTimeOffset(), recorded.Title, recorded.Text,
            recorded.ResolutionKind, recorded.Mandate, recorded.DecidedBy, root.GetProperty("actor").GetProperty("name").GetString() ?? "",
            recorded.Basis, recorded.Scope, recorded.District, recorded.Affected, recorded.ValidUntil, recorded.CommunicatedTo,
            recorded.Corrects, recorded.Escalation, Text(root, "reason"));
    }

    private static MinutesAssignment? Assignment(string id, IReadOnlyList<JsonElement> entries)
    {
        var root = entries.FirstOrDefault(e => e.GetProperty("type").GetString() == nameof(AssignmentSent));
        if (root.ValueKind != JsonValueKind.Object)
            return null;
        var sent = root.GetProperty("change").Deserialize<AssignmentSent>(DomainJson.Options)!;
        var steps = entries.Where(e => e.GetProperty("type").GetString() == nameof(AssignmentStepped)).Select(e =>
        {
            var step = e;
            return new MinutesStep(step.GetProperty("at").GetDateTimeOffset(), step.GetProperty("actor").GetProperty("name").GetString() ?? "",
                step.GetProperty("change").Deserialize<AssignmentStepped>(DomainJson.Options)!.To, step.GetProperty("seq").GetInt64(), Text(step, "reason"));
        }).ToArray();
        return new MinutesAssignment(id, root.GetProperty("seq").GetInt64(), root.GetProperty("at").GetDateTimeOffset(), sent.Title, sent.Instructions,
            sent.To, root.GetProperty("actor").GetProperty("name").GetString() ?? "", sent.Due, sent.ReportBack, sent.District, sent.FromResolution,
            steps.Length > 0 ? steps[^1].Status : AssignmentStatus.Sent, steps, Text(root, "reason"));
    }

    /// <summary>Each thing's loggbok entries, oldest first, redacted for a reader who may not see internal notes.</summary>
    private async Task<IReadOnlyList<JsonElement>[]> EntriesAsync(string picture, EntityKind kind, IReadOnlyList<string> ids, bool seesInternalNotes)
    {
        var keys = new PictureKeys(picture);
        return await Task.WhenAll(ids.Select(async id =>
        {
            var entries = await _store.QueryAsync(keys, new LogQuery(new EntityRef(kind, id), null, null, null, 0, EntriesPerThing));
            return (IReadOnlyList<JsonElement>)entries
                .Select(entry =>
                {
                    using var document = JsonDocument.Parse(seesInternalNotes ? entry : Redaction.ForObservers(entry));
                    return document.RootElement.Clone();
                })
                .OrderBy(entry => entry.GetProperty("seq").GetInt64())
                .ToArray();
        }));
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
