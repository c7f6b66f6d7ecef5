using Lagesbild.Domain.Alerts;

namespace Lagesbild.Grains.Alerts.Outbox;

/// <summary>Writes the outbox items a raised or escalated alert owes its recipients (the server knows the channels and addresses).</summary>
public interface IAlertDeliveries
{
    /// <summary>Idempotent: items already written are left as they are.</summary>
    Task EnqueueAsync(string picture, string alert, AlertState state);
}
