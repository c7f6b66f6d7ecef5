namespace Lagesbild.Domain.Picture;

/// <summary>Why a command was refused; maps to the HTTP status a caller sees.</summary>
public enum RefusalKind
{
    /// <summary>The input itself is wrong (400).</summary>
    Invalid,
    /// <summary>The thing does not exist in this picture (404).</summary>
    NotFound,
    /// <summary>The input is fine but makes no sense in the current state (409).</summary>
    Conflict,
    /// <summary>The caller may not do this (403).</summary>
    Forbidden,
    /// <summary>The request reuses an earlier request's idempotency key with other content (422).</summary>
    Unprocessable,
}

/// <summary>A refused command: what kind of refusal, why, and per-field problems.</summary>
public sealed record Refusal(RefusalKind Kind, string Reason, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public static Refusal NotFound(EntityRef entity) =>
        new(RefusalKind.NotFound, $"{entity} finns inte i den här lägesbilden.");

    public static Refusal Conflict(string reason) => new(RefusalKind.Conflict, reason);

    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(RefusalKind.Invalid, "Uppgifterna är inte giltiga.", errors);
}

/// <summary>A change the rules accepted: what changed and the entity's state afterwards.</summary>
public sealed record Accepted<TState>(Change Change, TState State);

/// <summary>The outcome of deciding a command against the current state.</summary>
public readonly struct Decision<TState>
{
    private Decision(Accepted<TState>? accepted, Refusal? refusal)
    {
        AcceptedChange = accepted;
        Refusal = refusal;
    }

    public Accepted<TState>? AcceptedChange { get; }
    public Refusal? Refusal { get; }

    public static implicit operator Decision<TState>(Refusal refusal) => new(null, refusal);
    public static Decision<TState> Accept(Change change, TState state) => new(new Accepted<TState>(change, state), null);
}

/// <summary>What changed, as recorded in the loggbok. The type name is the event type.</summary>
public abstract record Change;
