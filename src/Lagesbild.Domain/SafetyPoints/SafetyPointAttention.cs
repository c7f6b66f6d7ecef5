using System.Collections.Immutable;

namespace Lagesbild.Domain.SafetyPoints;

/// <summary>Why a trygghetspunkt needs the crisis team's attention.</summary>
public enum AttentionRule
{
    /// <summary>On backup power with fewer hours of fuel left than the city's threshold.</summary>
    FuelLow,
    /// <summary>Colder indoors than the city's minimum (18 °C).</summary>
    TooCold,
    /// <summary>More visitors than the city's share of day capacity.</summary>
    NearlyFull,
    /// <summary>In operation and nothing reported for longer than the city allows.</summary>
    NoReport,
    /// <summary>Open, and its staffing says nobody is there.</summary>
    OpenWithoutStaff,
    /// <summary>A status last reported longer ago than that status's time.</summary>
    StatusStale,
}

/// <summary>The city's thresholds for the attention rules, and its order for fuel deliveries between points.</summary>
/// <param name="FuelPriority">Point ids, most urgent to refuel first; a point not listed comes after all listed.</param>
public sealed record AttentionThresholds(
    double FuelBelowHours,
    double MinIndoorCelsius,
    double FullAbovePercent,
    TimeSpan NoReportAfter,
    ImmutableDictionary<ConditionKind, TimeSpan> StaleAfter,
    ImmutableArray<string> FuelPriority)
{
    /// <summary>The city's rank for refuelling a point (1 first), or null when it has none.</summary>
    public int? FuelRank(string point) => FuelPriority.IndexOf(point) is var i and >= 0 ? i + 1 : null;
}

/// <summary>One reason a point needs attention, with the figure it was judged on.</summary>
/// <param name="Status">The status it concerns, for a stale status.</param>
/// <param name="Value">The figure now: hours of fuel left, °C, percent of capacity, minutes since the report.</param>
/// <param name="Threshold">The city's threshold it was held against, in the same unit.</param>
/// <param name="FuelRank">Where fuel is short: the city's priority for this point (1 first).</param>
public sealed record AttentionReason(AttentionRule Rule, ConditionKind? Status = null, double? Value = null, double? Threshold = null, int? FuelRank = null);

/// <summary>A point that needs attention now, and why.</summary>
public sealed record PointAttention(string Id, string District, string Name, ImmutableArray<AttentionReason> Reasons);

/// <summary>
/// The attention rules: the one place that judges whether a trygghetspunkt needs the crisis
/// team's attention. Time is an input, so a mark clears itself when a report ages out or comes
/// in, and the answer says when it next changes by time alone.
/// </summary>
public static class SafetyPointAttention
{
    /// <param name="lastChange">When anything about the point was last recorded.</param>
    /// <returns>The reasons now (none when all is well), and the next moment they change with no new report.</returns>
    public static (ImmutableArray<AttentionReason> Reasons, DateTimeOffset? ChangesAt) Judge(
        string id, SafetyPointState point, DateTimeOffset lastChange, DateTimeOffset now, AttentionThresholds thresholds)
    {
        // A resting or closed point is expected to be quiet and empty.
        if (!SafetyPointRules.InOperation.Contains(point.Status))
            return ([], null);

        var reasons = ImmutableArray.CreateBuilder<AttentionReason>();
        var changes = new List<DateTimeOffset>();
        void Turns(DateTimeOffset at)
        {
            if (at > now)
                changes.Add(at);
        }

        var condition = point.Condition;
        if (condition.Power is { Source: PowerSource.Backup, FuelHours: { } fuel } && condition.Reported.TryGetValue(ConditionKind.Power, out var powerReport))
        {
            // Fuel burns while nobody reports: hours left now, not as reported.
            var left = Math.Max(0, fuel - (now - powerReport.At).TotalHours);
            if (left < thresholds.FuelBelowHours)
                reasons.Add(new AttentionReason(AttentionRule.FuelLow, Value: Math.Round(left, 1), Threshold: thresholds.FuelBelowHours, FuelRank: thresholds.FuelRank(id)));
            else
                Turns(powerReport.At + TimeSpan.FromHours(fuel - thresholds.FuelBelowHours));
        }
        if (condition.Heat is { IndoorCelsius: { } celsius } && celsius < thresholds.MinIndoorCelsius)
            reasons.Add(new AttentionReason(AttentionRule.TooCold, Value: celsius, Threshold: thresholds.MinIndoorCelsius));

        var percent = 100.0 * point.Visitors / point.Capacity;
        if (percent > thresholds.FullAbovePercent)
            reasons.Add(new AttentionReason(AttentionRule.NearlyFull, Value: Math.Round(percent), Threshold: thresholds.FullAbovePercent));

        var quiet = now - lastChange;
        if (quiet >= thresholds.NoReportAfter)
            reasons.Add(new AttentionReason(AttentionRule.NoReport, Value: Math.Floor(quiet.TotalMinutes), Threshold: thresholds.NoReportAfter.TotalMinutes));
        else
            Turns(lastChange + thresholds.NoReportAfter);

        if (point.Status is SafetyPointStatus.Open or SafetyPointStatus.Limited && condition.Staffing is { Staff: 0, FrgVolunteers: 0 })
            reasons.Add(new AttentionReason(AttentionRule.OpenWithoutStaff));

        foreach (var (kind, report) in condition.Reported)
        {
            if (!thresholds.StaleAfter.TryGetValue(kind, out var staleAfter))
                continue;
            var age = now - report.At;
            if (age >= staleAfter)
                reasons.Add(new AttentionReason(AttentionRule.StatusStale, kind, Math.Floor(age.TotalMinutes), staleAfter.TotalMinutes));
            else
                Turns(report.At + staleAfter);
        }
        return (reasons.ToImmutable(), changes.Count == 0 ? null : changes.Min());
    }
}
