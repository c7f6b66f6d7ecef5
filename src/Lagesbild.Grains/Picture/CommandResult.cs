using Lagesbild.Domain.Picture;

namespace Lagesbild.Grains.Picture;

/// <summary>The answer to a command: accepted with its place in the loggbok, or refused with a reason.</summary>
[GenerateSerializer, Immutable]
public sealed record CommandResult(
    [property: Id(0)] long Seq,
    [property: Id(1)] string? EventId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? Record,
    [property: Id(4)] Refusal? Refusal)
{
    public bool IsAccepted => Refusal is null;

    public static CommandResult Refused(Refusal refusal) => new(0, null, default, null, refusal);
}
