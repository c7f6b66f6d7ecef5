using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.AspNetCore.Mvc;

namespace Lagesbild.Server.Api;

/// <summary>An accepted command: its place in the loggbok and the entity as it is now.</summary>
public sealed record CommandAccepted(long Seq, string EventId, DateTimeOffset At, JsonElement Entity);

/// <summary>The one way a command's outcome becomes an answer, over HTTP and over the hub.</summary>
public static class CommandResponses
{
    public static CommandAccepted Accepted(CommandResult result)
    {
        using var document = JsonDocument.Parse(result.Record!);
        return new CommandAccepted(result.Seq, result.EventId!, result.At, document.RootElement.Clone());
    }

    public static ProblemDetails Problem(Refusal refusal)
    {
        var (status, title) = refusal.Kind switch
        {
            RefusalKind.Invalid => (StatusCodes.Status400BadRequest, "Ogiltiga uppgifter"),
            RefusalKind.NotFound => (StatusCodes.Status404NotFound, "Finns inte"),
            RefusalKind.Conflict => (StatusCodes.Status409Conflict, "Ändringen går inte att göra nu"),
            RefusalKind.Forbidden => (StatusCodes.Status403Forbidden, "Inte behörig"),
            _ => (StatusCodes.Status400BadRequest, "Avvisad"),
        };
        var problem = refusal.Errors is { } errors
            ? new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value)) { Status = status, Title = title, Detail = refusal.Reason }
            : new ProblemDetails { Status = status, Title = title, Detail = refusal.Reason };
        return problem;
    }

    public static IResult ToHttp(CommandResult result) =>
        result.Refusal is { } refusal ? Results.Problem(Problem(refusal)) : TypedResults.Ok(Accepted(result));

    /// <summary>A client's Idempotency-Key makes a retried command count once.</summary>
    public static Guid? CommandIdOf(string? idempotencyKey)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
            return null;
        if (Guid.TryParse(idempotencyKey, out var id))
            return id;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(idempotencyKey));
        return new Guid(hash.AsSpan(0, 16));
    }
}
