using System.Text.Json;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using StackExchange.Redis;

namespace Lagesbild.Server.Exercises;

/// <summary>An exercise's scenario as imported: every inspel, who imported it and when.</summary>
public sealed record ExerciseScenario(string Picture, IReadOnlyList<Inject> Injects, DateTimeOffset ImportedAt, string ImportedBy);

/// <summary>
/// An exercise's scenario (its MSEL), kept beside its picture (<see cref="PictureKeys.Scenario"/>) and not in it:
/// every participant reads the picture, and an inspel must not be seen before it is delivered.
/// An import replaces the whole scenario in one write, so a scenario is never half imported.
/// </summary>
public sealed class ExerciseScenarios(IConnectionMultiplexer redis, PictureStore store) : Grains.Exercises.IExerciseScenarioSource
{
    private IDatabase Db => redis.GetDatabase();

    public Task SaveAsync(ExerciseScenario scenario) =>
        Db.StringSetAsync(new PictureKeys(scenario.Picture).Scenario, JsonSerializer.Serialize(scenario, DomainJson.Options));

    public async Task<ExerciseScenario?> GetAsync(string picture) =>
        await Db.StringGetAsync(new PictureKeys(picture).Scenario) is { HasValue: true } json
            ? JsonSerializer.Deserialize<ExerciseScenario>(json.ToString(), DomainJson.Internal)
            : null;

    public async Task<IReadOnlyList<Inject>> InjectsAsync(string picture) => (await GetAsync(picture))?.Injects ?? [];

    /// <summary>What an inspel may be addressed to: the districts, sectors, crisis bodies and points in the exercise picture now.</summary>
    public async Task<ScenarioTargets> TargetsAsync(string picture)
    {
        var (_, _, records) = await store.ReadPictureAsync(new PictureKeys(picture));
        var ids = Enum.GetValues<EntityKind>().ToDictionary(kind => kind.ToString(), _ => new HashSet<string>(StringComparer.Ordinal));
        foreach (var record in records)
        {
            using var document = JsonDocument.Parse(record);
            if (ids.TryGetValue(document.RootElement.GetProperty("kind").GetString()!, out var set))
                set.Add(document.RootElement.GetProperty("id").GetString()!);
        }
        return new ScenarioTargets(ids[nameof(EntityKind.District)], ids[nameof(EntityKind.Sector)], ids[nameof(EntityKind.CrisisBody)], ids[nameof(EntityKind.SafetyPoint)]);
    }
}
