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
        Admit(invocation.Context.UserIdentifier ?? invocation.Context.User?.FindFirstValue("sub") ?? invocation.Context.ConnectionId);
        return await next(invocation);
    }

    /// <summary>Counts a call against the person's limit; over it, the refusal every path gives.</summary>
    public void Admit(string person)
    {
        using var lease = _limiter.AttemptAcquire(person);
        if (!lease.IsAcquired)
            throw new HubException("""{"status":429,"title":"För många förfrågningar","detail":"Vänta en sekund och försök igen."}""");
    }
}
