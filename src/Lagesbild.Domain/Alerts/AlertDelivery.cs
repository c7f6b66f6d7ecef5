using System.Collections.Immutable;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Alerts;

/// <summary>How one channel's delivery of one wave to one recipient ended.</summary>
public enum DeliveryResult
{
    /// <summary>Levererat: the channel's receiver confirmed it (SMTP 250, webhook 2xx, push service 201).</summary>
    Delivered,
    /// <summary>Nåddes inte: a permanently bad address, or every try failed.</summary>
    Unreachable,
}

/// <summary>One channel's outcome for a recipient (<c>smtp</c>, <c>webhook</c>, <c>webpush</c>).</summary>
public sealed record AlertChannelOutcome(string Channel, DeliveryResult Result, DateTimeOffset At);

/// <summary>
/// Lagesbild's outbox records how a channel's delivery to a recipient ended. <paramref name="ChannelsInAll"/> is how many
/// channels the outbox had for her in that wave: when every one of them ended Unreachable she is Unreachable.
/// </summary>
public sealed record RecordAlertDelivery(string? Person, int? Wave, string? Channel, DeliveryResult? Result, string? Detail, int? ChannelsInAll) : AlertCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("person", Person, 200, required: true);
        problems.Range("wave", Wave, 1, AlertRules.WaveLimit);
        problems.Text("channel", Channel, 40, required: true);
        problems.Defined("result", Result);
        problems.Text("detail", Detail, 500);
        problems.Range("channelsInAll", ChannelsInAll, 1, 10);
    }
}

/// <summary>The loggbok's line for a delivery ("e-post levererad 02:01:03", or why a channel could not reach her).</summary>
public sealed record AlertDeliveryRecorded(string Person, int Wave, string Channel, DeliveryResult Result, string? Detail) : Change;

/// <summary>How a channel's outcome changes the recipient it concerns.</summary>
public static class AlertDeliveryRules
{
    public static Decision<AlertState> Decide(AlertState state, RecordAlertDelivery record, DecideContext context)
    {
        var index = -1;
        for (var i = 0; i < state.Recipients.Length && index < 0; i++)
        {
            if (state.Recipients[i].Wave == record.Wave && AssignmentRules.SamePerson(record.Person!, state.Recipients[i].Person))
                index = i;
        }
        if (index < 0)
            return Refusal.Conflict($"Larmet gick inte till {record.Person} i våg {record.Wave}.");
        var recipient = state.Recipients[index];
        var channels = recipient.Channels ?? [];
        if (channels.Any(c => c.Channel == record.Channel))
            return Refusal.Conflict($"Kanalen {record.Channel} för {recipient.Person} är redan registrerad.");
        channels = channels.Add(new AlertChannelOutcome(record.Channel!, record.Result!.Value, context.Now));
        var none = channels.Count(c => c.Result == DeliveryResult.Unreachable) >= record.ChannelsInAll!.Value;
        var unreachable = none && recipient.State == RecipientState.NotConfirmed;
        var updated = recipient with { Channels = channels, State = unreachable ? RecipientState.Unreachable : recipient.State };
        var next = state with { Recipients = state.Recipients.SetItem(index, updated) };
        // Nobody left in the current wave to answer: the next wave need not wait for its time.
        if (unreachable && recipient.Wave == state.Wave && AlertRules.AwaitsEscalation(state)
            && !next.Recipients.Any(r => r.Wave == state.Wave && r.State == RecipientState.NotConfirmed)
            && state.EscalatesAt > context.Now)
            next = next with { EscalatesAt = context.Now };
        return Decision<AlertState>.Accept(
            new AlertDeliveryRecorded(recipient.Person, record.Wave!.Value, record.Channel!, record.Result.Value, Trimmed(record.Detail)), next);
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
