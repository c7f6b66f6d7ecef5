using System.Collections.Concurrent;
using Lagesbild.Grains.Picture;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Lagesbild.Server.Live;

/// <summary>
/// This node's live pictures. One pattern subscription brings every committed entry of
/// every picture; a picture is loaded the first time someone looks at it. A timer reads
/// from the loggbok what pub/sub did not bring (after a store restart, say).
/// </summary>
public sealed class PictureFeeds(
    IConnectionMultiplexer redis,
    PictureStore store,
    IOptions<LiveOptions> options,
    LiveMetrics metrics,
    LiveProtocol protocol,
    TimeProvider clock,
    PictureChanges changes,
    ILogger<PictureFeeds> logger) : BackgroundService, ILocalFeed
{
    private readonly ConcurrentDictionary<string, Lazy<Task<PictureFeed>>> _feeds = new(StringComparer.Ordinal);

    public IEnumerable<PictureFeed> Loaded =>
        _feeds.Values.Where(f => f.IsValueCreated && f.Value.IsCompletedSuccessfully).Select(f => f.Value.Result);

    public async Task<PictureFeed> GetAsync(string picture)
    {
        var lazy = _feeds.GetOrAdd(picture, p => new Lazy<Task<PictureFeed>>(() => LoadAsync(p)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            // A failed load (store down) must not stick: the next caller tries again.
            _feeds.TryRemove(new KeyValuePair<string, Lazy<Task<PictureFeed>>>(picture, lazy));
            throw;
        }
    }

    private async Task<PictureFeed> LoadAsync(string picture)
    {
        // Deltas are pushed in the JSON hub protocol, the only one the hub offers.
        var feed = new PictureFeed(picture, store, options.Value, metrics, protocol, clock, changes);
        await feed.LoadAsync();
        return feed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(PictureKeys.AllChannels);
        // One ordered handler: entries of a picture are offered in the order pub/sub delivered them.
        queue.OnMessage(message =>
        {
            if (PictureKeys.PictureOfChannel(message.Channel.ToString()) is { } picture)
                Offer(picture, message.Message.ToString());
        });

        _ = DeliverTurnsAsync(stoppingToken);

        var ticks = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(10, options.Value.GapWaitMilliseconds / 2)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // The tail is checked once a second: an entry whose announcement was lost
                // (its node died between storing and announcing) is found within that time.
                var checkTail = ++ticks % Math.Max(1, 1000 / Math.Max(10, options.Value.GapWaitMilliseconds / 2)) == 0;
                foreach (var feed in Loaded)
                {
                    if (checkTail)
                        feed.SweepStuckWrites();
                    try
                    {
                        await feed.CatchUpAsync(checkTail);
                    }
                    catch (Exception error) when (error is RedisException or TimeoutException)
                    {
                        logger.LogDebug(error, "Store unreachable while catching up {Picture}", feed.Picture);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await queue.UnsubscribeAsync();
        }
    }

    /// <summary>
    /// An entry a grain on this node has just stored. It is applied on a pool thread, off the grain's
    /// turn: the fan-out must neither hold the grain nor run its awaits on the grain's scheduler.
    /// </summary>
    void ILocalFeed.Stored(string picture, string entry) =>
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Feeds.Offer(state.Picture, state.Entry), (Feeds: this, Picture: picture, Entry: entry), preferLocal: false);

    /// <summary>Applies an entry to the picture if this node has it loaded (one that loads later reads it from the store).</summary>
    private void Offer(string picture, string entry)
    {
        if (!_feeds.TryGetValue(picture, out var lazy) || !lazy.IsValueCreated || !lazy.Value.IsCompletedSuccessfully)
            return;
        var feed = lazy.Value.Result;
        // The writing node sees each of its entries twice (handed over, then announced): the second is dropped unparsed.
        if (LiveEntry.LeadingSeq(entry) is { } seq && seq <= feed.Seq)
            return;
        try
        {
            feed.Offer(LiveEntry.Parse(entry));
        }
        catch (Exception error)
        {
            logger.LogError(error, "Could not read an announced entry of {Picture}", picture);
        }
    }

    /// <summary>The turns of coalesced delivery (<see cref="LiveOptions.CoalesceAboveDeliveriesPerSecond"/>).</summary>
    private async Task DeliverTurnsAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(DeliveryTurns.Slot, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var feed in Loaded)
                {
                    try
                    {
                        feed.FlushDue();
                    }
                    catch (Exception error)
                    {
                        // One failed turn must not stop the turns: the deltas wait for the next.
                        logger.LogError(error, "A delivery turn of {Picture} failed", feed.Picture);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
