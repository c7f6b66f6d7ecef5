using System.Collections.Immutable;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Exercises;

/// <summary>
/// What has happened to one inspel so far: delayed (in scenario minutes), skipped or sent by hand by
/// exercise control, and when it was delivered (wall and scenario time; <see cref="Problem"/> when the
/// exercise picture refused the change it carried). Only inspel something happened to have a mark,
/// and a mark names the inspel by id alone: its text stays in the scenario until it is delivered.
/// </summary>
public sealed record InjectMark(
    string Inject,
    int DelayMinutes = 0,
    bool Skipped = false,
    bool SentByHand = false,
    DateTimeOffset? DeliveredAt = null,
    TimeSpan? DeliveredAtScenario = null,
    string? Message = null,
    string? Problem = null);

/// <summary>
/// An exercise as it runs (övningens förlopp): its clock and the marks of its inspel. One per exercise
/// picture (<see cref="ExerciseRunRules.Id"/>), folded from the loggbok like every state, so a replay
/// shows the clock as it stood.
/// </summary>
public sealed record ExerciseRunState(ExerciseClock Clock, ImmutableArray<InjectMark> Injects)
{
    public static readonly ExerciseRunState NotStarted = new(ExerciseClock.NotStarted, []);

    /// <summary>What lists and the feed call it, as every state has a name.</summary>
    public string Name { get; init; } = "Övningens förlopp";

    public InjectMark? Mark(string inject) => Injects.FirstOrDefault(m => m.Inject == inject);

    /// <summary>The inspel delivered so far, for <see cref="Scenario.Due"/>.</summary>
    public IReadOnlySet<string> Delivered() => Injects.Where(m => m.DeliveredAt is not null).Select(m => m.Inject).ToHashSet(StringComparer.Ordinal);

    /// <summary>What exercise control did to each inspel, for <see cref="Scenario.Due"/>.</summary>
    public IReadOnlyDictionary<string, InjectHandling> Handling() =>
        Injects.ToDictionary(m => m.Inject, m => new InjectHandling(TimeSpan.FromMinutes(m.DelayMinutes), m.Skipped, m.SentByHand), StringComparer.Ordinal);

    internal ExerciseRunState WithMark(string inject, Func<InjectMark, InjectMark> change)
    {
        var mark = Mark(inject);
        return this with { Injects = mark is null ? Injects.Add(change(new InjectMark(inject))) : Injects.Replace(mark, change(mark)) };
    }
}

public abstract record ExerciseCommand : Command
{
    public override EntityKind Kind => EntityKind.Exercise;
}

/// <summary>Starts the exercise clock at scenario time 0, at 1–10 times the wall clock (1 if not given).</summary>
public sealed record StartExercise(int? Speed = null) : ExerciseCommand
{
    protected override void Check(Problems problems) => problems.Range("speed", Speed, ExerciseClock.MinSpeed, ExerciseClock.MaxSpeed, required: false);
}

/// <summary>Pauses the exercise: scenario time and every queued inspel stand still.</summary>
public sealed record PauseExercise : ExerciseCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>Lets a paused exercise run on from where it stood.</summary>
public sealed record ResumeExercise : ExerciseCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>Runs the scenario at another speed from now on (1–10 times the wall clock).</summary>
public sealed record ChangeExerciseSpeed(int? Speed) : ExerciseCommand
{
    protected override void Check(Problems problems) => problems.Range("speed", Speed, ExerciseClock.MinSpeed, ExerciseClock.MaxSpeed);
}

/// <summary>Ends the exercise: the clock stops for good and no more inspel are delivered.</summary>
public sealed record StopExercise : ExerciseCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>One inspel of the scenario, by its id in the MSEL.</summary>
public abstract record InjectCommand(string? Inject) : ExerciseCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("inject", Inject, 40, required: true);
        CheckMore(problems);
    }

    protected virtual void CheckMore(Problems problems) { }
}

/// <summary>Exercise control leaves an inspel out: it is never delivered.</summary>
public sealed record SkipInject(string? Inject) : InjectCommand(Inject);

/// <summary>Exercise control holds an inspel back by some scenario minutes (added to any earlier delay).</summary>
public sealed record DelayInject(string? Inject, int? Minutes) : InjectCommand(Inject)
{
    protected override void CheckMore(Problems problems) => problems.Range("minutes", Minutes, 1, ExerciseRunRules.MaxDelayMinutes);
}

/// <summary>Exercise control sends an inspel now, whatever the scenario time.</summary>
public sealed record SendInject(string? Inject) : InjectCommand(Inject);

/// <summary>Lagesbild records that it delivered an inspel (the message or the change it carries is stored first).</summary>
public sealed record RecordInjectDelivered(string? Inject, string? Message = null, string? Problem = null) : InjectCommand(Inject)
{
    protected override void CheckMore(Problems problems)
    {
        problems.Text("message", Message, 60);
        problems.Text("problem", Problem, 2000);
    }
}

public sealed record ExerciseStarted(int Speed) : Change;

public sealed record ExercisePaused(TimeSpan ScenarioTime) : Change;

public sealed record ExerciseResumed(TimeSpan ScenarioTime) : Change;

public sealed record ExerciseSpeedChanged(int Speed, TimeSpan ScenarioTime) : Change;

public sealed record ExerciseStopped(TimeSpan ScenarioTime) : Change;

public sealed record InjectSkipped(string Inject) : Change;

public sealed record InjectDelayed(string Inject, int Minutes, int TotalMinutes) : Change;

public sealed record InjectSentByHand(string Inject) : Change;

public sealed record InjectDelivered(string Inject, TimeSpan ScenarioTime, bool ByHand, string? Message, string? Problem) : Change;

/// <summary>The rules of a running exercise: its clock (<see cref="ExerciseClock"/>) and what exercise control may do to an inspel.</summary>
public static class ExerciseRunRules
{
    /// <summary>The one run of an exercise picture, as its entity id.</summary>
    public const string Id = "ovning";

    /// <summary>A delay of more than a day of scenario time takes an inspel out of any exercise; skip it instead.</summary>
    public const int MaxDelayMinutes = 24 * 60;

    public static Decision<ExerciseRunState> Decide(EntityRef self, ExerciseRunState? state, ExerciseCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        var run = state ?? ExerciseRunState.NotStarted;
        var now = context.Now;
        var scenarioTime = run.Clock.ScenarioTime(now);
        return command switch
        {
            StartExercise start => Step(run, run.Clock.Start(now, start.Speed ?? 1), clock => new ExerciseStarted(clock.Speed)),
            PauseExercise => Step(run, run.Clock.Pause(now), clock => new ExercisePaused(clock.ScenarioAtMark)),
            ResumeExercise => Step(run, run.Clock.Resume(now), clock => new ExerciseResumed(clock.ScenarioAtMark)),
            ChangeExerciseSpeed speed => Step(run, run.Clock.ChangeSpeed(now, speed.Speed!.Value), clock => new ExerciseSpeedChanged(clock.Speed, clock.ScenarioAtMark)),
            StopExercise => Step(run, run.Clock.Stop(now), clock => new ExerciseStopped(clock.ScenarioAtMark)),
            InjectCommand inject => Inject(run, inject, scenarioTime, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown exercise command."),
        };
    }

    private static Decision<ExerciseRunState> Step(ExerciseRunState run, ClockStep step, Func<ExerciseClock, Change> change) =>
        step.Refusal is { } refused ? refused : Decision<ExerciseRunState>.Accept(change(step.Clock!), run with { Clock = step.Clock! });

    private static Decision<ExerciseRunState> Inject(ExerciseRunState run, InjectCommand command, TimeSpan scenarioTime, DateTimeOffset now)
    {
        var id = command.Inject!.Trim();
        var mark = run.Mark(id);
        if (mark?.DeliveredAt is { } delivered)
            return Refusal.Conflict($"Inspelet {id} är redan levererat (scenariotid {Format(mark.DeliveredAtScenario ?? TimeSpan.Zero)}).");
        if (mark is { Skipped: true })
            return Refusal.Conflict($"Inspelet {id} är överhoppat och levereras inte.");
        if (run.Clock.State == ClockState.Stopped)
            return Refusal.Conflict("Övningen är avslutad; inga fler inspel levereras.");
        switch (command)
        {
            case SkipInject:
                return Decision<ExerciseRunState>.Accept(new InjectSkipped(id), run.WithMark(id, m => m with { Skipped = true }));
            case DelayInject delay:
                if (mark is { SentByHand: true })
                    return Refusal.Conflict($"Inspelet {id} är redan skickat för hand och levereras nu.");
                var total = (mark?.DelayMinutes ?? 0) + delay.Minutes!.Value;
                if (total > MaxDelayMinutes)
                    return Refusal.Invalid(new Dictionary<string, string[]> { ["minutes"] = [$"Ett inspel skjuts upp högst {MaxDelayMinutes} minuter sammanlagt (det vore {total}); hoppa över det i stället."] });
                return Decision<ExerciseRunState>.Accept(new InjectDelayed(id, delay.Minutes.Value, total), run.WithMark(id, m => m with { DelayMinutes = total }));
            case SendInject:
                if (run.Clock.State == ClockState.NotStarted)
                    return Refusal.Conflict("Övningen har inte startat; starta den innan ett inspel skickas för hand.");
                if (mark is { SentByHand: true })
                    return Refusal.Conflict($"Inspelet {id} är redan skickat för hand och levereras nu.");
                return Decision<ExerciseRunState>.Accept(new InjectSentByHand(id), run.WithMark(id, m => m with { SentByHand = true }));
            case RecordInjectDelivered record:
                if (run.Clock.State == ClockState.NotStarted)
                    return Refusal.Conflict("Övningen har inte startat.");
                return Decision<ExerciseRunState>.Accept(
                    new InjectDelivered(id, scenarioTime, mark?.SentByHand ?? false, record.Message, record.Problem),
                    run.WithMark(id, m => m with { DeliveredAt = now, DeliveredAtScenario = scenarioTime, Message = record.Message, Problem = record.Problem }));
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown inject command.");
        }
    }

    /// <summary>The inspel due now, in scenario order: none before the start or after the end; while paused only those sent by hand.</summary>
    public static IReadOnlyList<Inject> Due(ExerciseRunState run, IEnumerable<Inject> injects, DateTimeOffset now) =>
        run.Clock.State is ClockState.NotStarted or ClockState.Stopped
            ? []
            : Scenario.Due(injects, run.Clock.ScenarioTime(now), run.Delivered(), run.Handling());

    /// <summary>
    /// When the next inspel falls due if nothing changes: now when one is due, the wall time its scenario
    /// time is reached at the clock's speed, or null when none is waiting or the clock stands still.
    /// </summary>
    public static DateTimeOffset? NextDelivery(ExerciseRunState run, IReadOnlyCollection<Inject> injects, DateTimeOffset now)
    {
        if (Due(run, injects, now).Count > 0)
            return now;
        if (run.Clock.State != ClockState.Running)
            return null;
        var delivered = run.Delivered();
        var handling = run.Handling();
        var waiting = injects
            .Where(i => !delivered.Contains(i.Id) && handling.GetValueOrDefault(i.Id) is not { Skipped: true })
            .Select(i => Scenario.DueAt(i, handling.GetValueOrDefault(i.Id)))
            .ToArray();
        return waiting.Length == 0 ? null : run.Clock.WallTimeOf(waiting.Min());
    }

    /// <summary>Scenario time as exercise control writes it: <c>01:30:00</c>.</summary>
    public static string Format(TimeSpan scenario) => $"{(int)scenario.TotalHours:00}:{scenario.Minutes:00}:{scenario.Seconds:00}";
}
