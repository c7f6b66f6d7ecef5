using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests;

/// <summary>The clock every rule test runs at, and short ways to say what a decision should be.</summary>
internal static class Decisions
{
    public static readonly DateTimeOffset Now = new(2025, 1, 15, 10, 0, 0, TimeSpan.Zero);

    public static readonly DecideContext Context = new(Now, FakeAreas.Stockholm);

    public static Accepted<TState> AssertAccepted<TState>(this Decision<TState> decision)
    {
        Assert.Null(decision.Refusal);
        return decision.AcceptedChange!;
    }

    public static Refusal AssertRefused<TState>(this Decision<TState> decision, RefusalKind kind)
    {
        var refusal = Assert.IsType<Refusal>(decision.Refusal);
        Assert.Null(decision.AcceptedChange);
        Assert.Equal(kind, refusal.Kind);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Reason));
        return refusal;
    }

    /// <summary>Refused as invalid input, with a problem named for the field.</summary>
    public static string[] AssertInvalid<TState>(this Decision<TState> decision, string field)
    {
        var refusal = decision.AssertRefused(RefusalKind.Invalid);
        Assert.NotNull(refusal.Errors);
        Assert.True(refusal.Errors.TryGetValue(field, out var messages),
            $"Expected a problem with '{field}', got: {string.Join("; ", refusal.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
        Assert.NotEmpty(messages);
        return messages;
    }
}
