using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.Exercises;

/// <summary>Evaluators' observations take the exercise clock's scenario time; ratings are on four levels; the state keeps no text.</summary>
public sealed class EvaluationRulesTests
{
    private static readonly EntityRef Evaluation = new(EntityKind.Evaluation, EvaluationRules.Id);
    private static readonly DateTimeOffset Started = Decisions.Now.AddMinutes(-10);

    private static Decision<EvaluationState> Decide(EvaluationState? state, EvaluationCommand command, ExerciseClock clock) =>
        EvaluationRules.Decide(Evaluation, state, command, Decisions.Context, clock);

    [Fact]
    public void An_observation_is_noted_at_the_scenario_time_the_clock_shows()
    {
        // Ten wall minutes at three times the wall clock.
        var clock = new ExerciseClock(ClockState.Running, 3, TimeSpan.Zero, Started);

        var accepted = Decide(null, new NoteObservation(" Sara ringde SOS först ", "I-01", "Mål 1"), clock).AssertAccepted();

        var noted = Assert.IsType<ObservationNoted>(accepted.Change);
        Assert.Equal(TimeSpan.FromMinutes(30), noted.ScenarioAt);
        Assert.Equal(("o-1", "Sara ringde SOS först", "I-01"), (noted.Id, noted.Text, noted.Inject));
        Assert.Equal(new EvaluationState(1, 0, 0), accepted.State);
    }

    [Fact]
    public void An_observation_before_the_start_is_refused_and_a_rating_needs_one_of_the_four_levels()
    {
        Decide(null, new NoteObservation("Tidigt"), ExerciseClock.NotStarted).AssertRefused(RefusalKind.Conflict);
        Decide(null, new RateObjective("Mål 1", null), ExerciseClock.NotStarted).AssertInvalid("rating");
        Decide(null, new RateObjective("Mål 1", (ObjectiveRating)7), ExerciseClock.NotStarted).AssertInvalid("rating");
        Decide(null, new RecordImprovement("Checklista", " "), ExerciseClock.NotStarted).AssertInvalid("owner");
    }

    [Fact]
    public void Ratings_and_improvement_items_are_counted_in_the_state_and_their_texts_stay_in_the_change()
    {
        var stopped = new ExerciseClock(ClockState.Stopped, 1, TimeSpan.FromHours(2), Started);
        var rated = Decide(null, new RateObjective("Mål 2", ObjectiveRating.MajorChallenges, "Rapporten kom sent"), stopped).AssertAccepted();
        var improved = Decide(rated.State, new RecordImprovement("Övning i rapportmallen", "Farsta"), stopped).AssertAccepted();

        Assert.Equal(new ObjectiveRated("Mål 2", ObjectiveRating.MajorChallenges, "Rapporten kom sent", TimeSpan.FromHours(2)), rated.Change);
        Assert.Equal(new ImprovementRecorded("f-1", "Övning i rapportmallen", "Farsta"), improved.Change);
        Assert.Equal(new EvaluationState(0, 1, 1), improved.State);
        Assert.Equal("Genomfört med stora problem", EvaluationRules.Describe(ObjectiveRating.MajorChallenges));
    }
}
