namespace Lagesbild.Domain.Picture;

/// <summary>The person (or system) behind a change, as recorded in the loggbok.</summary>
public sealed record Actor(string Name, string Role)
{
    public static readonly Actor System = new("Lagesbild (system)", "system");
}
