namespace Lagesbild.Domain.Picture;

/// <summary>What the rules may know beyond the entity's own state: the clock and the map.</summary>
public sealed record DecideContext(DateTimeOffset Now, IAreas Areas);
