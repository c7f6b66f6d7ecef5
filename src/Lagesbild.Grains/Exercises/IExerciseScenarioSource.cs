using Lagesbild.Domain.Exercises;

namespace Lagesbild.Grains.Exercises;

/// <summary>An exercise's scenario (its inspel) as exercise control imported it; kept beside the picture, not in it.</summary>
public interface IExerciseScenarioSource
{
    /// <summary>Every inspel of the exercise's scenario; none when no scenario is imported.</summary>
    Task<IReadOnlyList<Inject>> InjectsAsync(string picture);
}
