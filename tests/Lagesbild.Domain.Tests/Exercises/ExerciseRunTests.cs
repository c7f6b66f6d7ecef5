using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Exercises;

/// <summary>The exercise's run as a state folded from its loggbok: the clock's steps, what exercise control does to an inspel, and when the next one falls due.</summary>
public sealed class ExerciseRunTests
{
    private static readonly EntityRef Run = new(EntityKind.Exercise, ExerciseRunRules.Id);
    private static readonly Actor Control = new("Anna Berg", Roles.Central);

    private readonly FakeTimeProvider _wall = new(DateTimeOffset.Parse("2027-03-12T08:00:00Z"));

    private DateTimeOffset Now => _wall.GetUtcNow();

    private static Inject At(string id, int minutes) =>
        new(id, TimeSpan.FromMinutes(minutes), InjectDelivery.Message, "SOS Alarm", InjectTargetKind.District, "farsta", "Text", null, null);

    private static readonly Inject[] Injects = [At("i-1", 10), At("i-2", 30), At("i-3", 60)];

    private Decision<ExerciseRunState> Decide(ExerciseRunState? state, ExerciseCommand command) =>
        ExerciseRunRules.Decide(Run, state, command, new DecideContext(Now, FakeAreas.Stockholm, Control));

    private ExerciseRunState Taken(ExerciseRunState? state, ExerciseCommand command) =>
        Decide(state, command).AcceptedChange?.State ?? throw new InvalidOperationException(Decide(state, command).Refusal!.Reason);

    [Fact]
    public void An_inject_falls_due_at_its_scenario_time_at_the_chosen_speed_and_not_before()
    {
        var run = Taken(null, new StartExercise(Speed: 10));

        Assert.Equal(Now + TimeSpan.FromMinutes(1), ExerciseRunRules.NextDelivery(run, Injects, Now));
        _wall.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));
        Assert.Empty(ExerciseRunRules.Due(run, Injects, Now));
        _wall.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(["i-1"], ExerciseRunRules.Due(run, Injects, Now).Select(i => i.Id));
    }

    [Fact]
    public void Pausing_holds_every_queued_inject_and_resuming_delivers_them_where_the_scenario_stood()
    {
        var run = Taken(null, new StartExercise());
        _wall.Advance(TimeSpan.FromMinutes(5));
        run = Taken(run, new PauseExercise());

        _wall.Advance(TimeSpan.FromHours(3));
        Assert.Empty(ExerciseRunRules.Due(run, Injects, Now));
        Assert.Null(ExerciseRunRules.NextDelivery(run, Injects, Now));

        run = Taken(run, new ResumeExercise());
        Assert.Equal(Now + TimeSpan.FromMinutes(5), ExerciseRunRules.NextDelivery(run, Injects, Now));
    }

    [Fact]
    public void Speeding_up_brings_the_next_inject_forward_from_the_scenario_time_reached()
    {
        var run = Taken(null, new StartExercise());
        _wall.Advance(TimeSpan.FromMinutes(4));
        run = Taken(run, new ChangeExerciseSpeed(6));

        // Six scenario minutes to go at six times the wall clock: one wall minute.
        Assert.Equal(Now + TimeSpan.FromMinutes(1), ExerciseRunRules.NextDelivery(run, Injects, Now));
        Assert.Equal(TimeSpan.FromMinutes(4), run.Clock.ScenarioTime(Now));
    }

    [Fact]
    public void A_delayed_inject_waits_its_extra_scenario_minutes_and_a_skipped_one_never_comes()
    {
        var run = Taken(null, new StartExercise());
        run = Taken(run, new DelayInject("i-1", 15));
        run = Taken(run, new DelayInject("i-1", 10));
        run = Taken(run, new SkipInject("i-2"));

        _wall.Advance(TimeSpan.FromMinutes(34));
        Assert.Empty(ExerciseRunRules.Due(run, Injects, Now));
        _wall.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["i-1"], ExerciseRunRules.Due(run, Injects, Now).Select(i => i.Id));
        _wall.Advance(TimeSpan.FromHours(2));
        Assert.Equal(["i-1", "i-3"], ExerciseRunRules.Due(run, Injects, Now).Select(i => i.Id));
        Assert.Equal(25, run.Mark("i-1")!.DelayMinutes);
    }

    [Fact]
    public void An_inject_sent_by_hand_is_due_at_once_even_while_paused_and_is_delivered_once()
    {
        var run = Taken(null, new StartExercise());
        run = Taken(run, new PauseExercise());
        run = Taken(run, new SendInject("i-3"));

        Assert.Equal(["i-3"], ExerciseRunRules.Due(run, Injects, Now).Select(i => i.Id));
        run = Taken(run, new RecordInjectDelivered("i-3", "inspel-i-3-abcdef"));
        Assert.Empty(ExerciseRunRules.Due(run, Injects, Now));
        var mark = run.Mark("i-3")!;
        Assert.Equal(Now, mark.DeliveredAt);
        Assert.Equal(TimeSpan.Zero, mark.DeliveredAtScenario);

        var again = Decide(run, new RecordInjectDelivered("i-3"));
        Assert.Equal(RefusalKind.Conflict, again.Refusal?.Kind);
        Assert.Equal(RefusalKind.Conflict, Decide(run, new SkipInject("i-3")).Refusal?.Kind);
    }

    [Theory]
    [InlineData("pause before the start")]
    [InlineData("resume while running")]
    [InlineData("start twice")]
    [InlineData("speed 11")]
    [InlineData("speed 0")]
    [InlineData("send before the start")]
    [InlineData("delay after the end")]
    [InlineData("stop twice")]
    public void An_illegal_step_is_refused_and_says_why(string step)
    {
        var running = Taken(null, new StartExercise());
        var stopped = Taken(running, new StopExercise());
        var decision = step switch
        {
            "pause before the start" => Decide(null, new PauseExercise()),
            "resume while running" => Decide(running, new ResumeExercise()),
            "start twice" => Decide(running, new StartExercise()),
            "speed 11" => Decide(running, new ChangeExerciseSpeed(11)),
            "speed 0" => Decide(null, new StartExercise(0)),
            "send before the start" => Decide(null, new SendInject("i-1")),
            "delay after the end" => Decide(stopped, new DelayInject("i-1", 5)),
            "stop twice" => Decide(stopped, new StopExercise()),
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };

        var refusal = Assert.IsType<Refusal>(decision.Refusal);
        Assert.Null(decision.AcceptedChange);
        Assert.Equal(step.StartsWith("speed", StringComparison.Ordinal) ? RefusalKind.Invalid : RefusalKind.Conflict, refusal.Kind);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Errors?.Values.First()[0] ?? refusal.Reason));
    }

    [Fact]
    public void A_stopped_exercise_delivers_nothing_more()
    {
        var run = Taken(null, new StartExercise());
        _wall.Advance(TimeSpan.FromMinutes(20));
        run = Taken(run, new StopExercise());

        Assert.Empty(ExerciseRunRules.Due(run, Injects, Now));
        Assert.Null(ExerciseRunRules.NextDelivery(run, Injects, Now));
        Assert.Equal(TimeSpan.FromMinutes(20), run.Clock.ScenarioTime(Now + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_message_is_listed_by_its_first_line_and_read_once_by_its_recipient()
    {
        var self = new EntityRef(EntityKind.Message, ExerciseMessages.IdOf("I_01"));
        var context = new DecideContext(Now, FakeAreas.Stockholm, Control);
        var posted = ExerciseMessages.Decide(self, null, new PostMessage("SOS Alarm", new Assignee(AssigneeKind.District, "farsta"), "Strömavbrott i Farsta\nHela Hökarängen är utan ström."), context);
        var state = posted.AcceptedChange!.State;
        Assert.Equal("Strömavbrott i Farsta", state.Name);
        Assert.Equal("farsta", state.District);

        var sara = new Actor("Sara Ek", Roles.District, District: "farsta");
        Assert.Null(Access.Check(sara, self, state.District, new ReadMessage(), false, state));
        Assert.Equal(RefusalKind.Forbidden, Access.Check(new Actor("Omar Haddad", Roles.District, District: "sodermalm"), self, state.District, new ReadMessage(), false, state)?.Kind);
        var read = ExerciseMessages.Decide(self, state, new ReadMessage(), context with { Actor = sara }).AcceptedChange!.State;
        Assert.Equal("Sara Ek", read.ReadBy);
        Assert.Equal(RefusalKind.Conflict, ExerciseMessages.Decide(self, read, new ReadMessage(), context with { Actor = sara }).Refusal?.Kind);
    }

    [Fact]
    public void Inject_ids_that_differ_only_in_case_or_punctuation_become_different_messages()
    {
        var ids = new[] { "I_1", "i.1", "I-1", "i-1" }.Select(ExerciseMessages.IdOf).ToArray();

        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(EntityRef.IsValidId(id), id));
    }
}
