using System.Collections.Frozen;
using System.Text.Json;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Lagesbild.Server.Api;
using Lagesbild.Server.Live;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Exercises;

/// <summary>
/// Gathers an exercise's after-action report (<see cref="AfterActionReports.Build"/>) from what is stored: its
/// scenario, its whole loggbok (the entries the report reads), and who is late with a lägesrapport, judged
/// with the attention rules (<see cref="ReportingOverdue"/>) when the exercise stopped, or now while it runs.
/// </summary>
public sealed class AfterActionSource(PictureStore store, ExerciseScenarios scenarios, PictureFeeds feeds, IOptions<ReportingRhythmOptions> rhythm, TimeProvider clock)
{
    /// <summary>Entries read from the store at a time; an exercise's loggbok is thousands of entries.</summary>
    private const int Page = 5000;

    private static readonly FrozenSet<EntityKind> ReportingKinds =
        [EntityKind.City, EntityKind.District, EntityKind.Sector, EntityKind.SituationReport, EntityKind.ReportRequest];

    public async Task<(long Seq, AfterActionReport Report)> BuildAsync(string picture)
    {
        var keys = new PictureKeys(picture);
        var seq = await store.CurrentSeqAsync(keys);
        var entries = new List<ExerciseEntry>();
        var run = ExerciseRunState.NotStarted;
        for (var after = 0L; after < seq; after += Page)
        {
            foreach (var json in await store.ReadEntriesAsync(keys, after, Math.Min(seq, after + Page)))
            {
                if (Read(json) is not { } entry)
                    continue;
                entries.Add(entry.Entry);
                if (entry.Run is { } state)
                    run = state;
            }
        }
        var now = clock.GetUtcNow();
        var judgedAt = run.Clock.State == ClockState.Stopped && run.Clock.WallAtMark is { } stopped ? stopped : now;
        var (_, states) = (await feeds.GetAsync(picture)).SourcedStates();
        var (overdue, _) = ReportingOverdue.Judge(ReportsApi.StatesOf(states, ReportingKinds.Contains), rhythm.Value.ToRhythm(), judgedAt);
        var report = AfterActionReports.Build(await scenarios.InjectsAsync(picture), run, entries, overdue, now);
        return (seq, report);
    }

    /// <summary>An entry the report reads, with the run's state after it for an entry of the run; null for any other.</summary>
    private static (ExerciseEntry Entry, ExerciseRunState? Run)? Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!AfterActionReports.ChangeTypes.TryGetValue(root.GetProperty("type").GetString() ?? "", out var type))
            return null;
        var entity = root.GetProperty("entity");
        var kind = Enum.Parse<EntityKind>(entity.GetProperty("kind").GetString()!);
        var actor = root.GetProperty("actor");
        var change = (Change)root.GetProperty("change").Deserialize(type, DomainJson.Options)!;
        var run = kind == EntityKind.Exercise ? root.GetProperty("state").Deserialize<ExerciseRunState>(DomainJson.Options) : null;
        return (new ExerciseEntry(
            root.GetProperty("seq").GetInt64(),
            root.GetProperty("at").GetDateTimeOffset(),
            new EntityRef(kind, entity.GetProperty("id").GetString()!),
            actor.GetProperty("name").GetString() ?? "",
            actor.TryGetProperty("district", out var district) ? district.GetString() : null,
            change,
            run?.Clock), run);
    }
}
