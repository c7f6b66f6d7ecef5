using Lagesbild.Domain.Alerts;
using Lagesbild.Grains.Alerts.Outbox;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// The outbox items an alert owes: for each recipient still waiting for her (not confirmed, nothing recorded for her
/// yet), one per channel that reaches her. Called when a wave is stored, and by the worker's sweep over the alerts'
/// records, which writes whatever a crash between the two left out; the item ids make both write each item once.
/// </summary>
public sealed class AlertDeliveries(AlertOutbox outbox, IEnumerable<IAlertChannel> channels, AlertOutboxSignal signal, TimeProvider clock) : IAlertDeliveries
{
    public async Task EnqueueAsync(string picture, string alert, AlertState state)
    {
        foreach (var recipient in state.Recipients.Where(r => Owed(state, r) && r.Channels is not { Length: > 0 }))
        {
            var reaching = new List<IAlertChannel>();
            foreach (var channel in channels)
            {
                if (await channel.ReachesAsync(recipient.Person, CancellationToken.None))
                    reaching.Add(channel);
            }
            var now = clock.GetUtcNow();
            foreach (var channel in reaching)
            {
                var item = new AlertOutboxItem(AlertOutboxItem.IdOf(alert, recipient.Wave, recipient.Person, channel.Name), picture, alert,
                    recipient.Wave, recipient.Person, recipient.Phone, channel.Name, reaching.Count, now);
                if (await outbox.EnqueueAsync(item, now))
                    signal.Wake();
            }
        }
    }

    /// <summary>Whether the alert still needs telling anyone.</summary>
    public static bool Owed(AlertState state) => state.Recipients.Any(r => Owed(state, r));

    /// <summary>
    /// Whether a recipient still needs telling: her row waits, the cause stands, and nobody acknowledged the alert before
    /// she was reached (a forward after the TiB's acknowledgement is owed; a wave after it never happens).
    /// </summary>
    public static bool Owed(AlertState state, AlertRecipient recipient) =>
        state.ClearedAt is null && recipient.State == RecipientState.NotConfirmed && (state.AcknowledgedAt is null || recipient.NotifiedAt >= state.AcknowledgedAt);

    /// <summary>Whether the recipient of an outbox item (by her name and wave) still needs telling.</summary>
    public static bool Owed(AlertState state, string person, int wave) =>
        state.Recipients.Any(r => r.Wave == wave && Domain.Assignments.AssignmentRules.SamePerson(person, r.Person) && Owed(state, r));
}
