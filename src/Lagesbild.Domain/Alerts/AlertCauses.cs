using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Domain.Alerts;

/// <summary>The rules over the picture that raise an alert.</summary>
public enum AlertRule
{
    /// <summary>A sector seriously disturbed or down.</summary>
    SectorDown,
    /// <summary>A trygghetspunkt on backup power with less fuel than the city's threshold.</summary>
    FuelLow,
    /// <summary>A district or sector late with its lägesrapport (<see cref="ReportingOverdue"/>).</summary>
    ReportOverdue,
    /// <summary>A district has raised its local level.</summary>
    LocalLevelRaised,
    /// <summary>An uppdrag not acknowledged by its receiver after the city's time.</summary>
    AssignmentUnacknowledged,
}

/// <summary>One open cause: a rule holds for a thing in the picture now.</summary>
/// <param name="Seq">The loggbok entry of the thing's last change, the alert's link to what caused it.</param>
/// <param name="District">The district it concerns, when one does (its duty may have a chain of its own).</param>
public sealed record AlertCause(AlertRule Rule, AlertSeverity Severity, string Entity, long Seq, string Title, string? District)
{
    /// <summary>The cause's identity: one rule for one thing. While its alert is open, the same cause raises no other.</summary>
    public string Key => $"{Rule}:{Entity}";

    public AlertCauseRef ToRef() => new(Key, Rule.ToString(), Entity, Seq);
}

/// <summary>The city's settings for the rules (<c>Lagesbild:Alerts</c>), as the rules read them.</summary>
/// <param name="On">The rules the city uses.</param>
/// <param name="Attention">The attention thresholds, with the fuel threshold the alert rule uses.</param>
public sealed record AlertRuleSettings(ImmutableHashSet<AlertRule> On, AttentionThresholds Attention, ReportingRhythm Rhythm, TimeSpan AssignmentUnacknowledgedAfter);

/// <summary>What to do about the alerts: raise these (with the ids they get), clear those.</summary>
public sealed record AlertPlan(ImmutableArray<(string Id, AlertCause Cause)> Raise, ImmutableArray<string> Clear);

/// <summary>
/// The rules over the picture, judged in one place: from the picture's states and the time to the set of
/// causes open now, and when that next changes by time alone (fuel burning down, a report falling due, an
/// uppdrag waiting too long). <see cref="Plan"/> then says which alerts to raise and which to clear, so the
/// same cause never alerts twice while its first alert is open.
/// </summary>
public static class AlertCauses
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    public static (ImmutableArray<AlertCause> Causes, DateTimeOffset? ChangesAt) Judge(
        IReadOnlyCollection<SourcedState> states, AlertRuleSettings settings, DateTimeOffset now)
    {
        var causes = ImmutableArray.CreateBuilder<AlertCause>();
        DateTimeOffset? changesAt = null;
        void Next(DateTimeOffset? at)
        {
            if (at is { } t && t > now && (changesAt is null || t < changesAt))
                changesAt = t;
        }
        bool On(AlertRule rule) => settings.On.Contains(rule);

        foreach (var s in states.OrderBy(s => s.Entity.ToString(), StringComparer.Ordinal))
        {
            switch (s.State)
            {
                case SectorState sector when On(AlertRule.SectorDown) && sector.Status is SectorStatus.SeriouslyDisturbed or SectorStatus.Down:
                    causes.Add(new AlertCause(AlertRule.SectorDown, sector.Status == SectorStatus.Down ? AlertSeverity.Critical : AlertSeverity.Severe,
                        s.Entity.ToString(), s.Seq,
                        $"{sector.Name}: {(sector.Status == SectorStatus.Down ? "utslagen" : "allvarligt störd")}", sector.AffectedDistricts.Length == 1 ? sector.AffectedDistricts[0] : null));
                    break;
                case SafetyPointState point when On(AlertRule.FuelLow):
                    // The attention rules judge fuel (hours left now, not as reported); the alert asks for the fuel alone.
                    var (reasons, turns) = SafetyPointAttention.Judge(s.Entity.Id, point, now, now, settings.Attention);
                    Next(turns);
                    if (reasons.FirstOrDefault(r => r.Rule == AttentionRule.FuelLow) is { } fuel)
                    {
                        causes.Add(new AlertCause(AlertRule.FuelLow, fuel.Value < 1 ? AlertSeverity.Critical : AlertSeverity.Severe, s.Entity.ToString(), s.Seq,
                            $"{point.Name}: bränsle för {(fuel.Value ?? 0).ToString("0.#", Swedish)} h", point.District));
                    }
                    break;
                case DistrictState district when On(AlertRule.LocalLevelRaised) && district.LocalLevel != LocalLevel.Normal:
                    causes.Add(new AlertCause(AlertRule.LocalLevelRaised,
                        district.LocalLevel == LocalLevel.SeriousLocalIncident ? AlertSeverity.Severe : AlertSeverity.Warning, s.Entity.ToString(), s.Seq,
                        $"{district.Name}: {(district.LocalLevel == LocalLevel.SeriousLocalIncident ? "allvarlig lokal händelse" : "lokal händelse")}", s.Entity.Id));
                    break;
                case AssignmentState task when On(AlertRule.AssignmentUnacknowledged) && task.Status == AssignmentStatus.Sent:
                    var waitedTooLong = task.SentAt + settings.AssignmentUnacknowledgedAfter;
                    if (now >= waitedTooLong)
                        causes.Add(new AlertCause(AlertRule.AssignmentUnacknowledged, AlertSeverity.Warning, s.Entity.ToString(), s.Seq,
                            $"Uppdraget ”{task.Name}” är inte kvitterat", task.District));
                    else
                        Next(waitedTooLong);
                    break;
            }
        }
        if (On(AlertRule.ReportOverdue))
        {
            var (late, reportsChangeAt) = ReportingOverdue.Judge(states, settings.Rhythm, now);
            Next(reportsChangeAt);
            var seqOf = states.ToDictionary(s => s.Entity.ToString(), s => s.Seq, StringComparer.Ordinal);
            foreach (var reporter in late)
            {
                var entity = new EntityRef(reporter.Kind == AssigneeKind.District ? EntityKind.District : EntityKind.Sector, reporter.Id).ToString();
                causes.Add(new AlertCause(AlertRule.ReportOverdue, AlertSeverity.Warning, entity, seqOf.GetValueOrDefault(entity),
                    $"{reporter.Name}: lägesrapporten är försenad", reporter.Kind == AssigneeKind.District ? reporter.Id : null));
            }
        }
        return (causes.ToImmutable(), changesAt);
    }

    /// <summary>
    /// Which alerts to raise and which to clear, given the causes open now and the alerts in the picture: a
    /// cause without an open alert raises one; an open alert raised by a rule whose cause is gone is cleared
    /// (a rule the city has turned off leaves its alerts as they are). An alert's id is its cause's and how many
    /// alerts that cause has raised before, so every node that judges the same picture names the same alert
    /// and the store keeps it once.
    /// </summary>
    public static AlertPlan Plan(IReadOnlyCollection<AlertCause> causes, IReadOnlyCollection<(string Id, AlertState State)> alerts, ImmutableHashSet<AlertRule> on)
    {
        var open = alerts.Where(a => AlertRules.IsOpen(a.State)).Select(a => a.State.Cause.Key).ToHashSet(StringComparer.Ordinal);
        var raised = alerts.GroupBy(a => a.State.Cause.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var raise = causes
            .Where(c => !open.Contains(c.Key))
            .DistinctBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => (IdOf(c.Key, raised.GetValueOrDefault(c.Key) + 1), c))
            .ToImmutableArray();
        var now = causes.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var clear = alerts
            .Where(a => AlertRules.IsOpen(a.State) && Enum.TryParse<AlertRule>(a.State.Cause.Rule, out var rule) && on.Contains(rule) && !now.Contains(a.State.Cause.Key))
            .Select(a => a.Id)
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        return new AlertPlan(raise, clear);
    }

    /// <summary>The n-th alert of a cause: <c>larm-</c>, a short hash of the cause's key, and n.</summary>
    public static string IdOf(string causeKey, int n) =>
        $"larm-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(causeKey)).AsSpan(0, 6))}-{n}";

    /// <summary>The rule's name in the loggbok and the duty view: who raised the alert.</summary>
    public static string Describe(AlertRule rule) => rule switch
    {
        AlertRule.SectorDown => "Larmregel: sektor allvarligt störd eller utslagen",
        AlertRule.FuelLow => "Larmregel: lite bränsle vid trygghetspunkt",
        AlertRule.ReportOverdue => "Larmregel: försenad lägesrapport",
        AlertRule.LocalLevelRaised => "Larmregel: höjd lokal nivå",
        AlertRule.AssignmentUnacknowledged => "Larmregel: okvitterat uppdrag",
        _ => rule.ToString(),
    };
}
