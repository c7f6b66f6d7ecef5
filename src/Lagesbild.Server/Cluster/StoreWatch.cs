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
/// timeout, and the time since the last answer is what counts.
/// </summary>
public sealed class StoreWatch(IConnectionMultiplexer redis, StoreReach reach, IOptions<StepAsideOptions> options, TimeProvider clock, ILogger<StoreWatch> logger) : BackgroundService
{
    private long _lastAnswer;
    private volatile bool _answered;
    private string _lastFailure = "no answer yet";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var after = TimeSpan.FromSeconds(settings.AfterSeconds);
        Interlocked.Exchange(ref _lastAnswer, clock.GetTimestamp());
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.ProbeMilliseconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var asked = clock.GetTimestamp();
            _ = ProbeAsync(asked);
            // A node that has never reached the store is starting, not cut off: it is not ready
            // anyway, and stepping aside then only slowed a busy start (restart to ready 10-18 s).
            if (!_answered)
                continue;
            var silent = clock.GetElapsedTime(Interlocked.Read(ref _lastAnswer));
            if (silent >= after)
                reach.StepAside($"no answer from the store for {silent.TotalSeconds:F1} s; last: {_lastFailure}");
            else if (reach.SteppedAside)
                reach.Return();
        }
    }

    private async Task ProbeAsync(long asked)
    {
        try
        {
            await redis.GetDatabase().PingAsync().ConfigureAwait(false);
            // The time the probe was sent, not answered: a late answer proves nothing about now.
            long seen;
            do
                seen = Interlocked.Read(ref _lastAnswer);
            while (asked > seen && Interlocked.CompareExchange(ref _lastAnswer, asked, seen) != seen);
            _answered = true;
        }
        catch (Exception error)
        {
            _lastFailure = $"{error.GetType().Name}: {error.Message}";
            logger.LogDebug(error, "The store did not answer a probe");
        }
    }
}
