namespace Lagesbild.Domain.Exercises;

/// <summary>What exercise control did to one inspel by hand: held back by a delay, skipped, or sent now (due whatever the scenario time).</summary>
public sealed record InjectHandling(TimeSpan Delay, bool Skipped, bool SentByHand = false);

/// <summary>Which inspel of a scenario are due: the rule the delivery timer follows.</summary>
public static class Scenario
{
    /// <summary>
    /// The inspel due at a scenario time, in scenario order: not yet delivered, not skipped, and at
    /// or past their time plus any delay, or sent by hand. A paused clock has a frozen scenario time, so nothing new becomes due.
    /// </summary>
    public static IReadOnlyList<Inject> Due(IEnumerable<Inject> injects, TimeSpan scenarioTime, IReadOnlySet<string> delivered, IReadOnlyDictionary<string, InjectHandling> handling) =>
        injects
            .Where(i => !delivered.Contains(i.Id))
            .Select(i => (Inject: i, Handling: handling.GetValueOrDefault(i.Id)))
            .Where(x => x.Handling is not { Skipped: true } && (x.Handling is { SentByHand: true } || DueAt(x.Inject, x.Handling) <= scenarioTime))
            .OrderBy(x => DueAt(x.Inject, x.Handling))
            .ThenBy(x => x.Inject.Id, StringComparer.Ordinal)
            .Select(x => x.Inject)
            .ToArray();

    /// <summary>The scenario time an inspel is due at: its time in the scenario plus any delay exercise control gave it.</summary>
    public static TimeSpan DueAt(Inject inject, InjectHandling? handling) => inject.At + (handling?.Delay ?? TimeSpan.Zero);
}
