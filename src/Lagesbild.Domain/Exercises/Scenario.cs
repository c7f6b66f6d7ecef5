namespace Lagesbild.Domain.Exercises;

/// <summary>What exercise control did to one inspel by hand: held back by a delay, skipped, or sent now.</summary>
public sealed record InjectHandling(TimeSpan Delay, bool Skipped);

/// <summary>Which inspel of a scenario are due: the rule the delivery timer follows.</summary>
public static class Scenario
{
    /// <summary>
    /// The inspel due at a scenario time, in scenario order: not yet delivered, not skipped, and at
    /// or past their time plus any delay. A paused clock has a frozen scenario time, so nothing new becomes due.
    /// </summary>
    public static IReadOnlyList<Inject> Due(IEnumerable<Inject> injects, TimeSpan scenarioTime, IReadOnlySet<string> delivered, IReadOnlyDictionary<string, InjectHandling> handling) =>
        injects
            .Where(i => !delivered.Contains(i.Id))
            .Select(i => (Inject: i, Handling: handling.GetValueOrDefault(i.Id)))
            .Where(x => x.Handling is not { Skipped: true } && x.Inject.At + (x.Handling?.Delay ?? TimeSpan.Zero) <= scenarioTime)
            .OrderBy(x => x.Inject.At + (x.Handling?.Delay ?? TimeSpan.Zero))
            .ThenBy(x => x.Inject.Id, StringComparer.Ordinal)
            .Select(x => x.Inject)
            .ToArray();
}
