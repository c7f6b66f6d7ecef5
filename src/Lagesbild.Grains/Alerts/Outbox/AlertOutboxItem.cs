using Lagesbild.Domain.Alerts;

namespace Lagesbild.Grains.Alerts.Outbox;

/// <summary>Where an outbox item stands.</summary>
public enum OutboxItemState
{
    /// <summary>Waiting for its (next) try.</summary>
    Pending,
    /// <summary>The channel's receiver answered (<see cref="AlertOutboxItem.Result"/>); the loggbok entry may still be missing.</summary>
    Sent,
    /// <summary>Sent and recorded in the loggbok (or dropped: the alert was acknowledged or cleared first); never tried again.</summary>
    Done,
}

/// <summary>
/// One delivery the outbox owes: one wave of one alert to one recipient on one channel. Its id is made of those four,
/// so writing it again (a replayed entry, a second node, the sweep) adds nothing.
/// </summary>
/// <param name="ChannelsInAll">How many outbox channels reach the recipient in this wave (all Unreachable: she is).</param>
public sealed record AlertOutboxItem(
    string Id,
    string Picture,
    string Alert,
    int Wave,
    string Person,
    string? Phone,
    string Channel,
    int ChannelsInAll,
    DateTimeOffset CreatedAt,
    OutboxItemState State = OutboxItemState.Pending,
    int Attempts = 0,
    DeliveryResult? Result = null,
    string? Detail = null,
    DateTimeOffset? SentAt = null)
{
    /// <summary>The item's id: the same for the same (alert, wave, recipient, channel), whoever writes it.</summary>
    public static string IdOf(string alert, int wave, string person, string channel) =>
        $"{alert}|{wave}|{Domain.Assignments.AssignmentRules.PersonName(person).ToLowerInvariant()}|{channel}";
}
