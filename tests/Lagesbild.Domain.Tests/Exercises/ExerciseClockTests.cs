using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Exercises;

public sealed class ExerciseClockTests
{
    private readonly FakeTimeProvider _wall = new(DateTimeOffset.Parse("2027-03-12T08:00:00Z"));

    private DateTimeOffset Now => _wall.GetUtcNow();

    private static ExerciseClock Taken(ClockStep step) => step.Clock ?? throw new InvalidOperationException(step.Refusal!.Reason);

    [Fact]
    public void Scenario_time_runs_from_the_start_at_the_wall_clock_s_pace()
    {
        var clock = Taken(ExerciseClock.NotStarted.Start(Now));
        Assert.Equal(TimeSpan.Zero, clock.ScenarioTime(Now));

        _wall.Advance(TimeSpan.FromMinutes(25));

        Assert.Equal(TimeSpan.FromMinutes(25), clock.ScenarioTime(Now));
    }

    [Fact]
    public void Pausing_freezes_scenario_time_and_resuming_continues_from_where_it_stood()
    {
        var clock = Taken(ExerciseClock.NotStarted.Start(Now));
        _wall.Advance(TimeSpan.FromMinutes(10));
        clock = Taken(clock.Pause(Now));

        _wall.Advance(TimeSpan.FromHours(2));
        Assert.Equal(TimeSpan.FromMinutes(10), clock.ScenarioTime(Now));
        Assert.Null(clock.WallTimeOf(TimeSpan.FromMinutes(11)));

        clock = Taken(clock.Resume(Now));
        Assert.Equal(TimeSpan.FromMinutes(10), clock.ScenarioTime(Now));
        _wall.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.FromMinutes(11), clock.ScenarioTime(Now));
    }

    [Fact]
    public void A_speed_change_keeps_the_scenario_time_reached_and_speeds_up_only_what_follows()
    {
        var clock = Taken(ExerciseClock.NotStarted.Start(Now));
        _wall.Advance(TimeSpan.FromMinutes(10));
        clock = Taken(clock.ChangeSpeed(Now, 6));
        Assert.Equal(TimeSpan.FromMinutes(10), clock.ScenarioTime(Now));

        _wall.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromMinutes(40), clock.ScenarioTime(Now));
        Assert.Equal(Now + TimeSpan.FromMinutes(10), clock.WallTimeOf(TimeSpan.FromMinutes(100)));

        // Changed while paused: still frozen, and the new pace from the resume on.
        clock = Taken(clock.Pause(Now));
        clock = Taken(clock.ChangeSpeed(Now, 10));
        _wall.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(TimeSpan.FromMinutes(40), clock.ScenarioTime(Now));
        clock = Taken(clock.Resume(Now));
        _wall.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.FromMinutes(50), clock.ScenarioTime(Now));
    }

    [Fact]
    public void Speeds_outside_one_to_ten_are_refused()
    {
        var clock = Taken(ExerciseClock.NotStarted.Start(Now));
        foreach (var speed in new[] { 0, -1, 11 })
        {
            var step = clock.ChangeSpeed(Now, speed);
            Assert.Null(step.Clock);
            Assert.Equal(RefusalKind.Invalid, step.Refusal!.Kind);
            Assert.Contains("speed", step.Refusal.Errors!.Keys);
        }
        Assert.NotNull(clock.ChangeSpeed(Now, 1).Clock);
        Assert.NotNull(clock.ChangeSpeed(Now, 10).Clock);
        Assert.Equal(RefusalKind.Invalid, ExerciseClock.NotStarted.Start(Now, 11).Refusal!.Kind);
    }

    [Fact]
    public void A_stopped_exercise_keeps_its_last_scenario_time_and_takes_no_further_step()
    {
        var clock = Taken(ExerciseClock.NotStarted.Start(Now, 2));
        _wall.Advance(TimeSpan.FromMinutes(30));
        clock = Taken(clock.Stop(Now));
        _wall.Advance(TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromMinutes(60), clock.ScenarioTime(Now));
        Assert.All(new[] { clock.Start(Now), clock.Pause(Now), clock.Resume(Now), clock.ChangeSpeed(Now, 3), clock.Stop(Now) },
            step => Assert.Equal(RefusalKind.Conflict, step.Refusal!.Kind));
    }

    [Fact]
    public void Steps_out_of_order_are_refused_with_where_the_clock_stands()
    {
        Assert.Contains("inte startad", ExerciseClock.NotStarted.Pause(Now).Refusal!.Reason);
        Assert.Equal(RefusalKind.Conflict, ExerciseClock.NotStarted.Resume(Now).Refusal!.Kind);
        var running = Taken(ExerciseClock.NotStarted.Start(Now));
        Assert.Equal(RefusalKind.Conflict, running.Start(Now).Refusal!.Kind);
        Assert.Contains("pågår", running.Resume(Now).Refusal!.Reason);
    }
}
