using Lagesbild.Grains.Picture;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Replay;

/// <summary>
/// Keeps the replay checkpoints of the pictures this node holds up to date, a few seconds
/// behind the appends and never in their way: the append stays one script, and a jump to any
/// moment folds at most <see cref="PictureReplay.Interval"/> entries. Its first tick also warms
/// the store's path of a picture's 1,000th entry (<see cref="PictureStore.WarmAsync"/>), the
/// other thing that happens first a few seconds into a node's life and not on a change's path.
/// </summary>
public sealed class ReplayCheckpointer(PictureFeeds feeds, PictureReplay replay, PictureStore store, ILogger<ReplayCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, long> _builtThrough = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        var warmed = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!warmed)
                {
                    warmed = true;
                    try
                    {
                        await store.WarmAsync();
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        // Only the first 1,000th entry is then a few milliseconds slower.
                        logger.LogWarning(error, "Could not warm the store's append path");
                    }
                }
                foreach (var feed in feeds.Loaded)
                {
                    var due = feed.Seq / PictureReplay.Interval * PictureReplay.Interval;
                    if (due == 0 || _builtThrough.GetValueOrDefault(feed.Picture) >= due)
                        continue;
                    try
                    {
                        await replay.EnsureCheckpointsAsync(feed.Keys, due);
                        _builtThrough[feed.Picture] = due;
                    }
                    catch (Exception error) when (error is not OperationCanceledException)
                    {
                        // The store away for a moment: the next tick tries again, and a jump builds what it needs itself.
                        logger.LogWarning(error, "Could not build the replay checkpoints of {Picture} through {Seq}", feed.Picture, due);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
