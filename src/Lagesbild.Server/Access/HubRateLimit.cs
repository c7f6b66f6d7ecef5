using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;

namespace Lagesbild.Server.Access;

/// <summary>The same per-person limit for commands sent over the hub, where there is no HTTP request to count.</summary>
public sealed class HubRateLimit(int perSecond) : IHubFilter
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(user =>
        RateLimitPartition.GetTokenBucketLimiter(user, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond * 10,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        }));

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        using var lease = _limiter.AttemptAcquire(invocation.Context.UserIdentifier ?? invocation.Context.User?.FindFirstValue("sub") ?? invocation.Context.ConnectionId);
        if (!lease.IsAcquired)
            throw new HubException("""{"status":429,"title":"För många förfrågningar","detail":"Vänta en sekund och försök igen."}""");
        return await next(invocation);
    }
}
