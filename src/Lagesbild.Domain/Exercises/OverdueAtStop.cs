using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;

namespace Lagesbild.Domain.Exercises;

/// <summary>
/// The overdue lägesrapporter of an after-action report: the reporting states (the city's level, the districts, the
/// sectors, their reports and each begäran) as they stood when exercise control stopped the exercise, judged at the
/// moment of the stop, so the report read a week later is the same document; while the exercise runs, as they are now.
/// Fed the exercise picture's loggbok in order (<see cref="Read"/>); what comes after the stop does not move it.
/// </summary>
public sealed class OverdueAtStop
{
    private readonly Dictionary<EntityRef, SourcedState> _states = [];

    /// <summary>When exercise control stopped the exercise; null while it has not.</summary>
    public DateTimeOffset? StoppedAt { get; private set; }

    /// <summary>Whether the report judges an entity of this kind: the states <see cref="ReportingOverdue"/> reads.</summary>
    public static bool Reads(EntityKind kind) =>
        kind is EntityKind.City or EntityKind.District or EntityKind.Sector or EntityKind.SituationReport or EntityKind.ReportRequest;

    /// <summary>Whether an entry at this place still counts: every entry up to and with the stop.</summary>
    public bool Counts => StoppedAt is null;

    /// <summary>One entry of the loggbok: a reporting entity's state after it, or (<paramref name="run"/>) the run's state after it.</summary>
    public void Read(long seq, EntityRef entity, object? state, ExerciseRunState? run = null)
    {
        if (!Counts)
            return;
        if (state is not null && Reads(entity.Kind))
            _states[entity] = new SourcedState(entity, seq, state);
        if (run?.Clock is { State: ClockState.Stopped, WallAtMark: { } stoppedAt })
            StoppedAt = stoppedAt;
    }

    /// <summary>Who was late at the stop, or is late <paramref name="now"/> while the exercise runs.</summary>
    public IReadOnlyList<OverdueReporter> Judge(ReportingRhythm rhythm, DateTimeOffset now) =>
        ReportingOverdue.Judge(_states.Values, rhythm, StoppedAt ?? now).Reporters;
}
