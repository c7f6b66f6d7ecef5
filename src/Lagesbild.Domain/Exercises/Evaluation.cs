using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Exercises;

/// <summary>How well an exercise objective was performed (the after-action report's four levels).</summary>
public enum ObjectiveRating
{
    /// <summary>Genomfört utan problem.</summary>
    WithoutChallenges,
    /// <summary>Genomfört med vissa problem.</summary>
    SomeChallenges,
    /// <summary>Genomfört med stora problem.</summary>
    MajorChallenges,
    /// <summary>Kunde inte genomföras.</summary>
    UnableToPerform,
}

/// <summary>
/// An exercise's evaluation (utvärdering), one per exercise picture (<see cref="EvaluationRules.Id"/>): evaluators'
/// observations, the objectives' ratings and the improvement items. The state keeps only how many there are; every
/// text is in the entry that recorded it, and those entries are read by exercise control and evaluators alone
/// (the server's Redaction leaves their change out for everyone else), so the participants never read an evaluation.
/// </summary>
public sealed record EvaluationState(int Observations, int Ratings, int Improvements)
{
    public static readonly EvaluationState Empty = new(0, 0, 0);

    /// <summary>What lists and the feed call it, as every state has a name.</summary>
    public string Name { get; init; } = "Utvärdering";
}

public abstract record EvaluationCommand : Command
{
    public override EntityKind Kind => EntityKind.Evaluation;
}

/// <summary>An evaluator notes what she saw, at the scenario time the exercise clock shows, optionally about an inspel and an objective.</summary>
public sealed record NoteObservation(string? Text, string? Inject = null, string? Objective = null) : EvaluationCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("text", Text, EvaluationRules.TextLimit, required: true);
        problems.Text("inject", Inject, 40);
        problems.Text("objective", Objective, 200);
    }
}

/// <summary>Exercise control rates an objective of the scenario on the four levels, with a comment; a later rating replaces the earlier.</summary>
public sealed record RateObjective(string? Objective, ObjectiveRating? Rating, string? Comment = null) : EvaluationCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("objective", Objective, 200, required: true);
        problems.Defined("rating", Rating);
        problems.Text("comment", Comment, EvaluationRules.TextLimit);
    }
}

/// <summary>An improvement item (förbättringsåtgärd): what should change and who owns it.</summary>
public sealed record RecordImprovement(string? What, string? Owner) : EvaluationCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("what", What, EvaluationRules.TextLimit, required: true);
        problems.Text("owner", Owner, 200, required: true);
    }
}

public sealed record ObservationNoted(string Id, string Text, TimeSpan? ScenarioAt, string? Inject, string? Objective) : Change;

public sealed record ObjectiveRated(string Objective, ObjectiveRating Rating, string? Comment, TimeSpan? ScenarioAt) : Change;

public sealed record ImprovementRecorded(string Id, string What, string Owner) : Change;

/// <summary>The rules of an exercise's evaluation.</summary>
public static class EvaluationRules
{
    /// <summary>The one evaluation of an exercise picture, as its entity id.</summary>
    public const string Id = "utvardering";

    public const int TextLimit = 4000;

    /// <param name="clock">The exercise clock now, which gives an observation its scenario time.</param>
    public static Decision<EvaluationState> Decide(EntityRef self, EvaluationState? state, EvaluationCommand command, DecideContext context, ExerciseClock clock)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        var evaluation = state ?? EvaluationState.Empty;
        TimeSpan? scenarioTime = clock.State == ClockState.NotStarted ? null : clock.ScenarioTime(context.Now);
        switch (command)
        {
            case NoteObservation note:
                if (scenarioTime is null)
                    return Refusal.Conflict("Övningen har inte startat; en observation noteras med scenariotiden, som börjar när övningen startar.");
                var observation = $"o-{evaluation.Observations + 1}";
                return Decision<EvaluationState>.Accept(
                    new ObservationNoted(observation, note.Text!.Trim(), scenarioTime, Trimmed(note.Inject), Trimmed(note.Objective)),
                    evaluation with { Observations = evaluation.Observations + 1 });
            case RateObjective rate:
                return Decision<EvaluationState>.Accept(
                    new ObjectiveRated(rate.Objective!.Trim(), rate.Rating!.Value, Trimmed(rate.Comment), scenarioTime),
                    evaluation with { Ratings = evaluation.Ratings + 1 });
            case RecordImprovement improvement:
                var item = $"f-{evaluation.Improvements + 1}";
                return Decision<EvaluationState>.Accept(
                    new ImprovementRecorded(item, improvement.What!.Trim(), improvement.Owner!.Trim()),
                    evaluation with { Improvements = evaluation.Improvements + 1 });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown evaluation command.");
        }
    }

    /// <summary>The four levels as the report writes them.</summary>
    public static string Describe(ObjectiveRating rating) => rating switch
    {
        ObjectiveRating.WithoutChallenges => "Genomfört utan problem",
        ObjectiveRating.SomeChallenges => "Genomfört med vissa problem",
        ObjectiveRating.MajorChallenges => "Genomfört med stora problem",
        ObjectiveRating.UnableToPerform => "Kunde inte genomföras",
        _ => rating.ToString(),
    };

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
