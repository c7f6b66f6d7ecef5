using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Alerts;

/// <summary>
/// Where an alert from outside came from: the CAP 1.2 message (OASIS, docs.oasis-open.org/emergency/cap/v1.2) that a
/// configured sender posted, with what the duty view shows of it and the area drawn on the map.
/// </summary>
/// <param name="Sender">The configured sender's id (who signed it).</param>
/// <param name="CapSender">The message's own <c>sender</c> element.</param>
/// <param name="Identifiers">Every message received for this alert, the first (<c>Alert</c>) then its updates: each counts once.</param>
/// <param name="Areas">The message's polygons, each a closed ring of positions (longitude, latitude).</param>
public sealed record CapOrigin(
    string Sender,
    string CapSender,
    ImmutableArray<string> Identifiers,
    string MsgType,
    DateTimeOffset Sent,
    string Event,
    string? Urgency,
    string? CapSeverity,
    string? AreaDesc,
    ImmutableArray<ImmutableArray<GeoPosition>> Areas);

/// <summary>A later CAP message (<c>msgType</c> Update) of the same sender changes the alert it refers to.</summary>
public sealed record UpdateAlertFromCap(string? Title, string? Detail, AlertSeverity? Severity, CapOrigin? Cap) : AlertCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("title", Title, AlertRules.TitleLimit, required: true);
        problems.Text("detail", Detail, AlertRules.DetailLimit);
        problems.Defined("severity", Severity);
        problems.Required("cap", Cap);
    }
}

/// <summary>What the loggbok keeps of an update from outside, with its text.</summary>
public sealed record AlertUpdatedFromCap(string Identifier, string Title, string? Detail, AlertSeverity Severity) : Change;

/// <summary>The rules of alerts from outside: their id, their severity, and how an update changes one.</summary>
public static class CapAlerts
{
    /// <summary>The rule name an outside alert's cause carries (the picture's rules never clear it).</summary>
    public const string Rule = "Cap";

    /// <summary>
    /// The alert of a CAP message: one per sender and identifier (CAP 1.2, 3.2.1: the pair names the message), so the
    /// same message twice is found again and an Update/Cancel finds the alert of the message it refers to.
    /// </summary>
    public static string IdOf(string capSender, string identifier) =>
        $"cap-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{capSender}\n{identifier}")).AsSpan(0, 8))}";

    /// <summary>
    /// The alert's severity from the message's: CAP's severity (Extreme, Severe, Moderate, Minor, Unknown) read as
    /// ours, one step up when the urgency is Immediate (act now) and one down when it is Past.
    /// </summary>
    public static AlertSeverity SeverityOf(string? severity, string? urgency)
    {
        var level = severity switch
        {
            "Extreme" => AlertSeverity.Critical,
            "Severe" => AlertSeverity.Severe,
            "Moderate" => AlertSeverity.Warning,
            _ => AlertSeverity.Info,
        };
        return urgency switch
        {
            "Immediate" when level < AlertSeverity.Critical => level + 1,
            "Past" when level > AlertSeverity.Info => level - 1,
            _ => level,
        };
    }

    public static Decision<AlertState> Update(AlertState state, UpdateAlertFromCap update)
    {
        if (state.Cap is null)
            return Refusal.Conflict("Larmet kom inte utifrån; ett CAP-meddelande uppdaterar bara ett larm som ett CAP-meddelande skapat.");
        if (state.ClearedAt is not null)
            return Refusal.Conflict("Larmet är redan avslutat (avsändaren har återkallat det eller orsaken har upphört).");
        var cap = update.Cap!;
        var identifier = cap.Identifiers.LastOrDefault() ?? "";
        return Decision<AlertState>.Accept(
            new AlertUpdatedFromCap(identifier, update.Title!.Trim(), update.Detail?.Trim(), update.Severity!.Value),
            state with
            {
                Name = update.Title.Trim(),
                Severity = update.Severity.Value,
                Cap = cap with { Identifiers = state.Cap.Identifiers.AddRange(cap.Identifiers.Except(state.Cap.Identifiers)) },
            });
    }
}
