using Lagesbild.Grains.Picture;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Lagesbild.Server.Api;

/// <summary>
/// When the store or the cluster is briefly unreachable (a node or Redis restarting), the
/// caller hears 503 with Retry-After rather than a bare 500: nothing was acknowledged, and
/// retrying with the same Idempotency-Key is safe.
/// </summary>
public sealed class UnavailableHandler(IProblemDetailsService problems, ILogger<UnavailableHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
            return false;
        logger.LogWarning("Store or cluster unavailable for {Path}: {Error}", http.Request.Path, exception.Message);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "1";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Tillfälligt otillgänglig",
                Detail = "Lagret eller klustret svarar inte just nu. Ändringen är inte sparad; försök igen (med samma Idempotency-Key).",
            },
        });
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        // A store failure on the node that holds the grain arrives here as StoreUnavailableException.
        StoreUnavailableException or RedisException or TimeoutException or Orleans.Runtime.SiloUnavailableException or Orleans.Runtime.OrleansMessageRejectionException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsUnavailable),
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };
}
