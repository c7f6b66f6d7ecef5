using Lagesbild.Server.Seeding;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using StackExchange.Redis;

namespace Lagesbild.Server;

/// <summary>Ready means: this silo has joined the cluster, the store answers, and the live picture exists.</summary>
public sealed class ReadinessCheck(ISiloStatusOracle silo, IConnectionMultiplexer redis, LiveSeeding seeding, Live.LiveDrain drain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (drain.Draining)
            return HealthCheckResult.Unhealthy("Noden stängs; anslut till en annan.");
        if (silo.CurrentStatus != SiloStatus.Active)
            return HealthCheckResult.Unhealthy($"Silon är inte med i klustret ({silo.CurrentStatus}).");
        try
        {
            await redis.GetDatabase().PingAsync();
        }
        catch (Exception error)
        {
            return HealthCheckResult.Unhealthy("Lagret svarar inte.", error);
        }
        return seeding.Done.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Lägesbilden är inte klar än.");
    }
}
