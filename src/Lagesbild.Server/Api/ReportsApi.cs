using System.Text.Json;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Lagesbild.Server.Access;
using Lagesbild.Server.Live;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Api;

/// <summary>
/// The samlad lägesbild for the krisledningsmöte: built here, in one place, from the picture's live
/// states and (for "sedan senaste orienteringen") its loggbok, as a typed model the page renders
/// and an exporter can print. Reports themselves are read from the loggbok when opened.
/// </summary>
public static class ReportsApi
{
    /// <summary>At most this many changes are listed since a time; the model says when more happened.</summary>
    public const int SinceLimit = 1000;

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pictures/{picture}/overview", GetOverviewAsync)
            .RequireExistingPicture()
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithTags("Lägesbild")
            .WithName("GetSituationOverview")
            .Produces<SituationOverviewModel>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Samlad lägesbild: senaste rapport per stadsdelsområde och sektor, levande siffror, nivåns historik; med since: vad som ändrats sedan dess");
        return app;
    }

    private static async Task<IResult> GetOverviewAsync(
        string picture, DateTimeOffset? since, PictureFeeds feeds, PictureStore store, IOptions<ReportingRhythmOptions> rhythm, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        if (CheckSince(since, now) is { } refusal)
            return Results.Problem(CommandResponses.Problem(refusal));
        return TypedResults.Ok(await BuildAsync(picture, since, feeds, store, rhythm.Value.ToRhythm(), now));
    }

    /// <summary>"Since the last orientation" looks back: a time ahead is refused (GET /overview and its PDF alike).</summary>
    public static Refusal? CheckSince(DateTimeOffset? since, DateTimeOffset now) => since > now
        ? Refusal.Invalid(new Dictionary<string, string[]> { ["since"] = ["Måste ligga bakåt i tiden: tiden för den senaste orienteringen."] })
        : null;

    /// <summary>The samlad lägesbild as of now (the benchmark and an exporter call this too).</summary>
    public static async Task<SituationOverviewModel> BuildAsync(string picture, DateTimeOffset? since, PictureFeeds feeds, PictureStore store, ReportingRhythm rhythm, DateTimeOffset now)
    {
        var (seq, records) = (await feeds.GetAsync(picture)).SourcedStates();
        var states = StatesOf(records);
        var lastBriefing = SituationOverview.LastBriefing(await ScheduledBriefingsAsync(store, picture), now);
        if (since is not { } from)
            return SituationOverview.Build(seq, states, rhythm, now, lastBriefing: lastBriefing);
        var entries = await store.QueryAsync(new PictureKeys(picture), new LogQuery(null, null, from, null, 0, SinceLimit + 1));
        var changes = entries.Take(SinceLimit).Select(ChangeOf).ToArray();
        return SituationOverview.Build(seq, states, rhythm, now, changes, from, entries.Length > SinceLimit, lastBriefing);
    }

    /// <summary>The picture's records as typed states with their sources; <paramref name="only"/> picks the kinds read.</summary>
    public static List<SourcedState> StatesOf((string Key, long Seq, string State)[] records, Func<EntityKind, bool>? only = null)
    {
        var states = new List<SourcedState>(records.Length);
        foreach (var (key, recordSeq, json) in records)
        {
            if (StateOf(key, recordSeq, json, only) is { } state)
                states.Add(state);
        }
        return states;
    }

    /// <summary>One record as a typed state with its source, or null when its kind is not read or it holds no state.</summary>
    public static SourcedState? StateOf(string key, long seq, string json, Func<EntityKind, bool>? only = null) =>
        EntityRef.TryParse(key, out var entity) && (only is null || only(entity.Kind))
        && JsonSerializer.Deserialize(json, EntityKinds.StateType(entity.Kind), DomainJson.Options) is { } state
            ? new SourcedState(entity, seq, state)
            : null;

    /// <summary>Every stabsorientering central krisledning has scheduled, from its loggbok (a handful of entries).</summary>
    private static async Task<IEnumerable<(long Seq, DateTimeOffset At)>> ScheduledBriefingsAsync(PictureStore store, string picture)
    {
        var entries = await store.QueryAsync(new PictureKeys(picture),
            new LogQuery(new EntityRef(EntityKind.CrisisBody, SituationOverview.CentralBody), null, null, null, 0, int.MaxValue));
        var meetings = new List<(long, DateTimeOffset)>();
        foreach (var entry in entries)
        {
            using var document = JsonDocument.Parse(entry);
            var root = document.RootElement;
            if (root.GetProperty("type").GetString() == nameof(CrisisBodyMeetingScheduled)
                && root.GetProperty("change").TryGetProperty("meeting", out var meeting) && meeting.ValueKind == JsonValueKind.Object)
                meetings.Add((root.GetProperty("seq").GetInt64(), meeting.GetProperty("at").GetDateTimeOffset()));
        }
        return meetings;
    }

    /// <summary>What the list needs of an entry: never its reason, so an internal note cannot reach a partner through it.</summary>
    private static OverviewChange ChangeOf(string entry)
    {
        using var document = JsonDocument.Parse(entry);
        var root = document.RootElement;
        var entity = root.GetProperty("entity");
        return new OverviewChange(
            root.GetProperty("seq").GetInt64(),
            root.GetProperty("at").GetDateTimeOffset(),
            $"{entity.GetProperty("kind").GetString()}/{entity.GetProperty("id").GetString()}",
            root.GetProperty("type").GetString() ?? "",
            root.GetProperty("actor").GetProperty("name").GetString() ?? "",
            root.TryGetProperty("district", out var district) && district.ValueKind == JsonValueKind.String ? district.GetString() : null);
    }
}
