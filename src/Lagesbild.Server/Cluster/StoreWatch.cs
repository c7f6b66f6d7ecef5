using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Lagesbild.Server.Cluster;

/// <summary>
/// Asks the store, several times a second, whether it answers this node. After
/// <see cref="StepAsideOptions.AfterSeconds"/> without an answer the node steps aside
/// (<see cref="StoreReach.StepAside"/>): it reports not-ready, hands its entities to the
/// other nodes and places no new ones here; at the first answer it takes entities again.
/// Probes are not awaited one by one: a black-holed link answers nothing until the client's
/// timeout. What counts is the silence since the last answer while this node kept asking on
/// time (<see cref="StoreSilence"/>): a node whose own threads were late (a starved CPU under
/// load) has not lost the store, and stepping aside then refused changes for nothing.
/// </summary>
public sealed class StoreWatch(IConnectionMultiplexer redis, StoreReach reach, IOptions<StepAsideOptions> options, TimeProvider clock, ILogger<StoreWatch> logger) : BackgroundService
{
    private volatile bool _answered;
    private string _lastFailure = "no answer yet";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var after = TimeSpan.FromSeconds(settings.AfterSeconds);
        var probe = TimeSpan.FromMilliseconds(settings.ProbeMilliseconds);
        var silence = new StoreSilence(probe);
        var lastTick = clock.GetTimestamp();
        using var timer = new PeriodicTimer(probe, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var now = clock.GetTimestamp();
            var sinceLastTick = clock.GetElapsedTime(lastTick, now);
            lastTick = now;
            _ = ProbeAsync(silence);
            // A node that has never reached the store is starting, not cut off: it is not ready
            // anyway, and stepping aside then only slowed a busy start (restart to ready 10-18 s).
            if (!_answered)
                continue;
            var silent = silence.Tick(sinceLastTick);
            if (silent >= after)
                reach.StepAside($"no answer from the store for {silent.TotalSeconds:F1} s; last: {_lastFailure}");
            else if (reach.SteppedAside)
                reach.Return();
        }
    }

    private async Task ProbeAsync(StoreSilence silence)
    {
        try
        {
            await redis.GetDatabase().PingAsync().ConfigureAwait(false);
            silence.Answered();
            _answered = true;
        }
        catch (Exception error)
        {
            _lastFailure = $"{error.GetType().Name}: {error.Message}";
            logger.LogDebug(error, "The store did not answer a probe");
        }
    }
}
