using System.Text.Json;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Reports;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Exercises;

/// <summary>
/// Gathers an exercise's after-action report (<see cref="AfterActionReports.Build"/>) from what is stored: its
/// scenario and its whole loggbok, read once in order: the entries the report reads, the owner of every trygghetspunkt,
/// and the reporting states up to the stop, so who was late with a lägesrapport is judged as it stood when the
/// exercise stopped (<see cref="OverdueAtStop"/>), or now while it runs.
/// </summary>
public sealed class AfterActionSource(PictureStore store, ExerciseScenarios scenarios, IOptions<ReportingRhythmOptions> rhythm, TimeProvider clock)
{
    /// <summary>Entries read from the store at a time; an exercise's loggbok is thousands of entries.</summary>
    private const int Page = 5000;

    public async Task<(long Seq, AfterActionReport Report)> BuildAsync(string picture)
    {
        var keys = new PictureKeys(picture);
        var seq = await store.CurrentSeqAsync(keys);
        var entries = new List<ExerciseEntry>();
        var run = ExerciseRunState.NotStarted;
        var overdue = new OverdueAtStop();
        var pointDistricts = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var after = 0L; after < seq; after += Page)
        {
            foreach (var json in await store.ReadEntriesAsync(keys, after, Math.Min(seq, after + Page)))
            {
                var entry = Read(json, overdue, pointDistricts);
                if (entry is null)
                    continue;
                entries.Add(entry.Value.Entry);
                if (entry.Value.Run is { } state)
                    run = state;
            }
        }
        var injects = await scenarios.InjectsAsync(picture);
        var now = clock.GetUtcNow();
        var report = AfterActionReports.Build(injects, run, entries, overdue.Judge(rhythm.Value.ToRhythm(), now), now,
            point => pointDistricts.GetValueOrDefault(point));
        return (seq, report);
    }

    /// <summary>
    /// An entry the report reads, with the run's state after it for an entry of the run; null for any other. On the way
    /// every entry tells <paramref name="overdue"/> its reporting state and <paramref name="pointDistricts"/> a point's district.
    /// </summary>
    private static (ExerciseEntry Entry, ExerciseRunState? Run)? Read(string json, OverdueAtStop overdue, Dictionary<string, string> pointDistricts)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var seq = root.GetProperty("seq").GetInt64();
        var entity = root.GetProperty("entity");
        var kind = Enum.Parse<EntityKind>(entity.GetProperty("kind").GetString()!);
        var id = entity.GetProperty("id").GetString()!;
        if (kind == EntityKind.SafetyPoint && root.TryGetProperty("district", out var owner) && owner.GetString() is { } district)
            pointDistricts[id] = district;
        if (overdue.Counts && OverdueAtStop.Reads(kind))
            overdue.Read(seq, new EntityRef(kind, id), root.GetProperty("state").Deserialize(EntityKinds.StateType(kind), DomainJson.Options));
        if (!AfterActionReports.ChangeTypes.TryGetValue(root.GetProperty("type").GetString() ?? "", out var type))
            return null;
        var actor = root.GetProperty("actor").Deserialize<Actor>(DomainJson.Options)!;
        var change = (Change)root.GetProperty("change").Deserialize(type, DomainJson.Options)!;
        var run = kind == EntityKind.Exercise ? root.GetProperty("state").Deserialize<ExerciseRunState>(DomainJson.Options) : null;
        if (run is not null)
            overdue.Read(seq, new EntityRef(kind, id), null, run);
        return (new ExerciseEntry(seq, root.GetProperty("at").GetDateTimeOffset(), new EntityRef(kind, id), actor, change, run?.Clock), run);
    }
}
