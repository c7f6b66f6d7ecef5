using Lagesbild.Server.Seeding;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using StackExchange.Redis;

namespace Lagesbild.Server;

/// <summary>
/// Ready means: this silo has joined the cluster, the store answers (and has not been silent long enough for the node to step aside), the live picture exists,
/// and the identity provider answers as configured (when there is one).
/// </summary>
public sealed class ReadinessCheck(ISiloStatusOracle silo, IConnectionMultiplexer redis, Grains.Picture.StoreReach reach, LiveSeeding seeding, Live.LiveDrain drain, Access.ProviderDiscovery provider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (drain.Draining)
            return HealthCheckResult.Unhealthy("Noden stängs; anslut till en annan.");
        if (silo.CurrentStatus != SiloStatus.Active)
            return HealthCheckResult.Unhealthy($"Silon är inte med i klustret ({silo.CurrentStatus}).");
        if (reach.SteppedAside)
            return HealthCheckResult.Unhealthy("Noden når inte lagret och har lämnat sina objekt till andra noder.");
        if (provider.Problem is { } signIn)
            return HealthCheckResult.Unhealthy($"Inloggningen fungerar inte: {signIn}");
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

    /// <summary>Answers with the status and, when not ready, why: an operator reads it to know what to fix.</summary>
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "text/plain; charset=utf-8";
        var reasons = report.Entries.Values.Select(e => e.Description).Where(d => !string.IsNullOrEmpty(d));
        return http.Response.WriteAsync(string.Join("\n", [report.Status.ToString(), .. reasons]));
    }
}
