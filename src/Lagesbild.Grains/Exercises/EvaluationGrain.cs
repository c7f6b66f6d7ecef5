using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Exercises;

/// <summary>An exercise's evaluation: evaluators' observations, the objectives' ratings and the improvement items.</summary>
public interface IEvaluationGrain : IEntityGrain<EvaluationCommand>;

/// <summary>
/// One per exercise picture (<see cref="EvaluationRules.Id"/>). An observation takes its scenario time from the
/// exercise clock as the run stands when it is noted, and names only inspel and objectives of the scenario.
/// </summary>
public sealed class EvaluationGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<EvaluationGrain> logger)
    : EntityGrain<EvaluationState, EvaluationCommand>(store, areas, officeHours, clock, logger), IEvaluationGrain
{
    private IExerciseScenarioSource Scenarios => ServiceProvider.GetRequiredService<IExerciseScenarioSource>();

    // Read just before the rules decide (BeforeDecideAsync).
    private ExerciseClock _clock = ExerciseClock.NotStarted;

    protected override EntityKind Kind => EntityKind.Evaluation;

    protected override Decision<EvaluationState> Decide(EntityRef self, EvaluationState? state, EvaluationCommand command, DecideContext context) =>
        NotAnExercise(Picture) is { } live ? live : EvaluationRules.Decide(self, state, command, context, _clock);

    /// <summary>The live picture is no exercise, so it has no evaluation.</summary>
    private static Refusal? NotAnExercise(string picture) => PictureId.IsExercise(picture)
        ? null
        : Refusal.Conflict("Den levande lägesbilden är ingen övning; observationer, bedömningar av övningsmål och förbättringsåtgärder finns bara i en övning (ex-…).");

    protected override string? DistrictOf(EvaluationState state) => null;

    protected override async Task<Refusal?> CheckReferencesAsync(EvaluationCommand command)
    {
        if (NotAnExercise(Picture) is { } live)
            return live;
        var injects = await Scenarios.InjectsAsync(Picture);
        var (inject, objective) = command switch
        {
            NoteObservation note => (note.Inject, note.Objective),
            RateObjective rate => (null, rate.Objective),
            _ => (null, null),
        };
        if (!string.IsNullOrWhiteSpace(inject) && injects.All(i => i.Id != inject.Trim()))
            return Refusal.Invalid(new Dictionary<string, string[]> { ["inject"] = [$"Inspelet {inject.Trim()} finns inte i övningens scenario."] });
        if (!string.IsNullOrWhiteSpace(objective) && injects.All(i => i.Objective != objective.Trim()))
            return Refusal.Invalid(new Dictionary<string, string[]> { ["objective"] = [$"Övningsmålet \"{objective.Trim()}\" finns inte i scenariots målkolumn."] });
        return null;
    }

    protected override async Task BeforeDecideAsync(EvaluationCommand command)
    {
        var run = PictureId.IsExercise(Picture) ? await GrainFactory.GetGrain<IExerciseGrain>(EntityKey.Of(Picture, ExerciseRunRules.Id)).Record() : null;
        _clock = (run is null ? null : ExerciseGrain.StateOf(run))?.Clock ?? ExerciseClock.NotStarted;
    }
}
