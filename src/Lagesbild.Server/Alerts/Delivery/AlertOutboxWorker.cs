using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Alerts.Outbox;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// Sends the outbox's due items. Every node runs one; for each picture only the node holding its lease in the store
/// sends (one owner at a time; a node killed mid-send loses the lease when it runs out, and the next holder finds the
/// items it had in flight due again). A try either delivers (marked at once, so it is never sent again), is tried again
/// later with exponential backoff and jitter, or after the last try records the recipient Unreachable on that channel.
/// Every outcome is a loggbok entry of the alert (<see cref="RecordAlertDelivery"/>, by Lagesbild).
/// </summary>
public sealed class AlertOutboxWorker(
    AlertOutbox outbox,
    PictureStore store,
    IAlertDeliveries deliveries,
    IEnumerable<IAlertChannel> channels,
    CommandBus bus,
    AlertOutboxSignal signal,
    IOptions<AlertChannelOptions> options,
    TimeProvider clock,
    ILogger<AlertOutboxWorker> logger) : BackgroundService
{
    /// <summary>Who records a delivery in the loggbok.</summary>
    public static readonly Actor Sender = new("Lagesbild (utskick)", Roles.System);

    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(5);
    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Dictionary<string, IAlertChannel> _channels = channels.ToDictionary(c => c.Name, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _sending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private DateTimeOffset _nextSweep;

    private AlertChannelOptions Settings => options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Settings.AnyEnabled)
            return;
        var poll = TimeSpan.FromMilliseconds(Settings.PollMilliseconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RoundAsync(stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    // The store away for a moment: the items wait where they are.
                    logger.LogWarning(error, "The alert outbox could not be read; trying again");
                }
                // An item written on this node wakes it at once; otherwise it looks again after the poll interval.
                await signal.WaitAsync(poll, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(_sending.Values);
        foreach (var picture in _held)
        {
            try
            {
                await outbox.ReleaseAsync(picture, _owner);
            }
            catch (Exception error)
            {
                logger.LogDebug(error, "Could not release the outbox lease of {Picture}; it runs out by itself", picture);
            }
        }
    }

    private async Task RoundAsync(CancellationToken stopping)
    {
        var now = clock.GetUtcNow();
        if (now >= _nextSweep)
        {
            _nextSweep = now + SweepEvery;
            await SweepAsync();
        }
        foreach (var picture in await outbox.PicturesAsync())
        {
            var lease = await outbox.LeaseAsync(picture, _owner, TimeSpan.FromSeconds(Settings.LeaseSeconds), now);
            if (lease is null)
            {
                _held.Remove(picture);
                continue;
            }
            if (lease == true)
                logger.LogInformation("This node sends the alert outbox of {Picture} now", picture);
            _held.Add(picture);
            var orphaned = TimeSpan.FromSeconds(Settings.SendTimeoutSeconds * 3 + Settings.LeaseSeconds);
            foreach (var item in await outbox.ClaimAsync(picture, _owner, now, 32, orphaned))
            {
                // Sent beside the loop, which goes on renewing the lease while a receiver takes its time.
                if (_sending.ContainsKey(item.Id))
                    continue;
                _sending[item.Id] = Task.Run(async () =>
                {
                    try
                    {
                        await DeliverAsync(item, stopping);
                    }
                    finally
                    {
                        _sending.TryRemove(item.Id, out _);
                    }
                }, CancellationToken.None);
            }
        }
    }

    /// <summary>Writes the items of every open alert that lacks them: a crash between a wave's append and its items leaves none behind.</summary>
    private async Task SweepAsync()
    {
        foreach (var picture in await store.ListPicturesAsync())
        {
            foreach (var (id, record) in await store.ReadRecordsAsync(new PictureKeys(picture), EntityKind.Alert))
            {
                using var document = JsonDocument.Parse(record);
                var state = document.RootElement.GetProperty("state").Deserialize<AlertState>(DomainJson.Options)!;
                if (AlertDeliveries.Owed(state))
                    await deliveries.EnqueueAsync(picture, id, state);
            }
        }
    }

    private async Task DeliverAsync(AlertOutboxItem item, CancellationToken stopping)
    {
        try
        {
            if (item.State == OutboxItemState.Sent)
            {
                // Sent before a crash or a store hiccup: only its loggbok entry is missing.
                await RecordAsync(item);
                await outbox.SettleAsync(item with { State = OutboxItemState.Done }, null);
                return;
            }
            var record = await store.ReadRecordAsync(new PictureKeys(item.Picture), new EntityRef(EntityKind.Alert, item.Alert));
            var state = record is null ? null : JsonDocument.Parse(record).RootElement.GetProperty("state").Deserialize<AlertState>(DomainJson.Options);
            if (state is null || !AlertDeliveries.Owed(state, item.Person, item.Wave))
            {
                // Acknowledged or cleared before this try: nobody needs telling any more.
                await outbox.SettleAsync(item with { State = OutboxItemState.Done, Detail = state is null ? "larmet finns inte" : "inte skickat: larmet är kvitterat eller upphört" }, null);
                return;
            }
            var outcome = _channels.TryGetValue(item.Channel, out var channel)
                ? await channel.SendAsync(new AlertDelivery(item.Id, item.Person, item.Phone, item.Wave, AlertMessage.Of(item.Picture, item.Alert, state, Settings.PageAddress)), stopping)
                : DeliveryOutcome.Unreachable($"kanalen {item.Channel} är avstängd");
            var attempts = item.Attempts + 1;
            if (outcome.IsRetry && attempts < Settings.MaxAttempts)
            {
                var wait = Backoff(attempts);
                logger.LogInformation("Alert {Alert} to {Person} on {Channel}: try {Attempt} failed ({Why}); next in {Wait:0.0} s",
                    item.Alert, item.Person, item.Channel, attempts, outcome.Why, wait.TotalSeconds);
                await outbox.SettleAsync(item with { Attempts = attempts, Detail = outcome.Why }, clock.GetUtcNow() + wait);
                return;
            }
            // Kept the moment the receiver answered, before anything else: a crash from here on resends nothing.
            var sent = item with
            {
                State = OutboxItemState.Sent,
                Attempts = attempts,
                Result = outcome.Result ?? DeliveryResult.Unreachable,
                Detail = outcome.IsRetry ? $"{attempts} försök utan svar; senast: {outcome.Why}" : outcome.Why,
                SentAt = clock.GetUtcNow(),
            };
            await outbox.MarkSentAsync(sent);
            logger.LogInformation("Alert {Alert} to {Person} on {Channel}: {Result} after {Attempts} tries, {Ms:0} ms after it was written ({Why})",
                item.Alert, item.Person, item.Channel, sent.Result, attempts, (sent.SentAt.Value - item.CreatedAt).TotalMilliseconds, sent.Detail);
            await RecordAsync(sent);
            await outbox.SettleAsync(sent with { State = OutboxItemState.Done }, null);
        }
        catch (Exception error) when (error is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Left in flight: the claim picks it up again once it counts as orphaned.
            logger.LogWarning(error, "Alert {Alert} to {Person} on {Channel} could not be settled; it is tried again", item.Alert, item.Person, item.Channel);
        }
    }

    private async Task RecordAsync(AlertOutboxItem item)
    {
        var command = new RecordAlertDelivery(item.Person, item.Wave, item.Channel, item.Result, item.Detail is { Length: > 500 } text ? text[..500] : item.Detail, item.ChannelsInAll);
        var commandId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{item.Picture}/{item.Id}\nrecorded")).AsSpan(0, 16));
        var result = await bus.SendAsync(item.Picture, item.Alert, command, Sender, commandId);
        if (result.Refusal is { Kind: not RefusalKind.Conflict } refusal)
            logger.LogWarning("The delivery of {Alert} to {Person} on {Channel} was not recorded: {Reason}", item.Alert, item.Person, item.Channel, refusal.Reason);
    }

    /// <summary>Exponential (first × 2^(n−1), at most the longest) with equal jitter: half fixed, half random, so many items do not retry in step.</summary>
    private TimeSpan Backoff(int attempts)
    {
        var full = Math.Min(Settings.LongestRetrySeconds, Settings.FirstRetrySeconds * Math.Pow(2, attempts - 1));
        return TimeSpan.FromSeconds(full / 2 + Random.Shared.NextDouble() * full / 2);
    }
}
