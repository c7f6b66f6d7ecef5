namespace Lagesbild.Server.Live;

/// <summary>
/// A graceful stop: the node reports itself not ready (so the proxy sends new clients
/// elsewhere), tells its connected maps it is going away, and closes their connections so
/// they reconnect to another node and resume from their last sequence number.
/// </summary>
public sealed class LiveDrain(LiveConnections connections, ILogger<LiveDrain> logger) : IHostedService
{
    /// <summary>Time for the proxy's health check to notice before connections are closed.</summary>
    private static readonly TimeSpan Notice = TimeSpan.FromSeconds(1);

    public bool Draining { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Draining = true;
        var feeds = connections.Feeds.ToArray();
        logger.LogInformation("Draining {Count} live connections", feeds.Length);
        await Task.WhenAll(feeds.Select(async feed =>
        {
            try
            {
                await feed.NoticeAsync("draining", "Servern startas om; kartan ansluter till en annan server och hämtar det som ändrats.")
                    .WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (Exception error) when (error is TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }));
        await Task.Delay(Notice, cancellationToken);
        foreach (var feed in feeds)
            feed.Connection.Abort();
    }
}
