namespace Lagesbild.Domain.Picture;

/// <summary>What the rules may know beyond the entity's own state: the clock, the map and who asks (an uppdrag keeps its sender).</summary>
public sealed record DecideContext(DateTimeOffset Now, IAreas Areas, Actor? Actor = null);
