using Lagesbild.Domain.Alerts;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// One way to tell a person of an alert (e-mail, webhook, web push). The page needs none: the live delta is its delivery.
/// Fed by the outbox (<see cref="AlertOutboxWorker"/>), which owns retries: a channel tries once and says how it went.
/// </summary>
public interface IAlertChannel
{
    /// <summary>The outbox's key for it: <c>smtp</c>, <c>webhook</c>, <c>webpush</c>.</summary>
    string Name { get; }

    /// <summary>Whether it has an address for her (an e-mail address, a webhook target, a push subscription).</summary>
    ValueTask<bool> ReachesAsync(string person, CancellationToken cancel);

    Task<DeliveryOutcome> SendAsync(AlertDelivery delivery, CancellationToken cancel);
}

/// <summary>What is sent: one wave of one alert to one person, with a key receivers can de-duplicate by.</summary>
/// <param name="Key">The outbox item's key (the same on every retry): the mail's Message-Id, the webhook's Idempotency-Key.</param>
public sealed record AlertDelivery(string Key, string Person, string? Phone, int Wave, AlertMessage Message);

/// <summary>How one try ended: delivered, try again, or this address cannot be reached.</summary>
public sealed record DeliveryOutcome(DeliveryResult? Result, string? Why)
{
    public static DeliveryOutcome Delivered(string? how = null) => new(DeliveryResult.Delivered, how);
    public static DeliveryOutcome Retry(string why) => new(null, why);
    public static DeliveryOutcome Unreachable(string why) => new(DeliveryResult.Unreachable, why);
    public bool IsRetry => Result is null;
}
