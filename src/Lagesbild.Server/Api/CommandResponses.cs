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
            RefusalKind.Unprocessable => (StatusCodes.Status422UnprocessableEntity, "Nyckeln användes för en annan ändring"),
            _ => (StatusCodes.Status400BadRequest, "Avvisad"),
        };
        var problem = refusal.Errors is { } errors
            ? new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value)) { Status = status, Title = title, Detail = refusal.Reason }
            : new ProblemDetails { Status = status, Title = title, Detail = refusal.Reason };
        return problem;
    }

    public static IResult ToHttp(CommandResult result) =>
        result.Refusal is { } refusal ? Results.Problem(Problem(refusal)) : TypedResults.Ok(Accepted(result));

    /// <summary>The longest Idempotency-Key taken; a UUID is 36 characters.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>
    /// A client's Idempotency-Key makes a retried command count once. The key is the person's
    /// own: the command id is derived from the signed-in person (the token's subject) and the
    /// key, so one person's key can never answer for another's change. (Which request a key was
    /// first used for is checked in the grain: see RequestFingerprint.)
    /// </summary>
    public static Guid? CommandIdOf(string? idempotencyKey, string? subject)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
            return null;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{subject}\n{idempotencyKey}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>The command id for a request, or a refusal when its Idempotency-Key is unusable.</summary>
    public static (Guid? CommandId, IResult? Problem) CommandIdOf(HttpContext http)
    {
        var key = http.Request.Headers["Idempotency-Key"];
        if (key.Count > 1)
            return (null, Results.Problem(Problem(Refusal.Invalid(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["Ange nyckeln en gång."] }))));
        if (key.ToString().Length > MaxIdempotencyKeyLength)
        {
            return (null, Results.Problem(Problem(Refusal.Invalid(new Dictionary<string, string[]>
            {
                ["Idempotency-Key"] = [$"Får vara högst {MaxIdempotencyKeyLength} tecken (är {key.ToString().Length})."],
            }))));
        }
        return (CommandIdOf(key.ToString(), http.User.FindFirst("sub")?.Value), null);
    }
}
