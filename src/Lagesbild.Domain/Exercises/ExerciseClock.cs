using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Exercises;

/// <summary>Where the exercise clock stands.</summary>
public enum ClockState
{
    /// <summary>Inte startad.</summary>
    NotStarted,
    /// <summary>Pågår.</summary>
    Running,
    /// <summary>Pausad: scenario time and every queued inspel stand still.</summary>
    Paused,
    /// <summary>Avslutad.</summary>
    Stopped,
}

/// <summary>
/// The exercise clock: scenario time runs from the start at 1–10 times the wall clock, stands
/// still while paused, and ends when exercise control stops it. Pure: each step takes the wall
/// time it happens at, so the clock is the same on every node and in every replay.
/// <see cref="ScenarioAtMark"/> is the scenario time at the last step, <see cref="WallAtMark"/> when it was taken.
/// </summary>
public sealed record ExerciseClock(ClockState State, int Speed, TimeSpan ScenarioAtMark, DateTimeOffset? WallAtMark)
{
    public const int MinSpeed = 1;
    public const int MaxSpeed = 10;

    public static readonly ExerciseClock NotStarted = new(ClockState.NotStarted, 1, TimeSpan.Zero, null);

    /// <summary>The scenario time at a wall time: moving while running, frozen otherwise.</summary>
    public TimeSpan ScenarioTime(DateTimeOffset now) => State == ClockState.Running && WallAtMark is { } mark && now > mark
        ? ScenarioAtMark + (now - mark) * Speed
        : ScenarioAtMark;

    /// <summary>The wall time a scenario time will be reached at if nothing changes; null while the clock does not run.</summary>
    public DateTimeOffset? WallTimeOf(TimeSpan scenario) => State == ClockState.Running && WallAtMark is { } mark
        ? mark + (scenario > ScenarioAtMark ? (scenario - ScenarioAtMark) / Speed : TimeSpan.Zero)
        : null;

    public ClockStep Start(DateTimeOffset now, int speed = 1) => State != ClockState.NotStarted
        ? Refuse(State == ClockState.Stopped ? "Övningen är avslutad; den kan inte startas igen." : "Övningen är redan startad.")
        : SpeedProblem(speed) ?? new ClockStep(new ExerciseClock(ClockState.Running, speed, TimeSpan.Zero, now), null);

    public ClockStep Pause(DateTimeOffset now) => State != ClockState.Running
        ? Refuse($"Övningen pågår inte ({Describe(State)}); bara en pågående övning kan pausas.")
        : new ClockStep(this with { State = ClockState.Paused, ScenarioAtMark = ScenarioTime(now), WallAtMark = now }, null);

    public ClockStep Resume(DateTimeOffset now) => State != ClockState.Paused
        ? Refuse($"Övningen är inte pausad ({Describe(State)}).")
        : new ClockStep(this with { State = ClockState.Running, WallAtMark = now }, null);

    /// <summary>A new speed from now on: the scenario time reached so far is kept, only what follows runs faster or slower.</summary>
    public ClockStep ChangeSpeed(DateTimeOffset now, int speed) => State is ClockState.NotStarted or ClockState.Stopped
        ? Refuse($"Farten ändras under övningen; den är {Describe(State)}.")
        : SpeedProblem(speed) ?? new ClockStep(this with { Speed = speed, ScenarioAtMark = ScenarioTime(now), WallAtMark = now }, null);

    public ClockStep Stop(DateTimeOffset now) => State is ClockState.NotStarted or ClockState.Stopped
        ? Refuse($"Övningen är {Describe(State)}; bara en startad övning kan avslutas.")
        : new ClockStep(this with { State = ClockState.Stopped, ScenarioAtMark = ScenarioTime(now), WallAtMark = now }, null);

    public static string Describe(ClockState state) => state switch
    {
        ClockState.NotStarted => "inte startad",
        ClockState.Running => "pågår",
        ClockState.Paused => "pausad",
        ClockState.Stopped => "avslutad",
        _ => state.ToString(),
    };

    private static ClockStep? SpeedProblem(int speed) => speed is < MinSpeed or > MaxSpeed
        ? new ClockStep(null, Refusal.Invalid(new Dictionary<string, string[]> { ["speed"] = [$"Måste vara mellan {MinSpeed} och {MaxSpeed} gånger verklig tid (är {speed})."] }))
        : null;

    private static ClockStep Refuse(string reason) => new(null, Refusal.Conflict(reason));
}

/// <summary>A step of the exercise clock: the clock after it, or why it cannot be taken now.</summary>
public sealed record ClockStep(ExerciseClock? Clock, Refusal? Refusal);
