using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Duty;

namespace Lagesbild.Grains.Alerts;

/// <summary>The city's alerting (<c>Lagesbild:Alerts</c>): which rules raise alerts, their thresholds, and each duty's escalation chain; checked at start.</summary>
public sealed class AlertOptions : IValidatableObject
{
    public const string Section = "Lagesbild:Alerts";

    /// <summary>Whether the rules are judged at all; off, no alert is raised (waves of alerts already raised still go).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The rules the city uses (their names); none given means all.</summary>
    public List<AlertRule>? Rules { get; set; }

    /// <summary>A trygghetspunkt on backup power with fewer hours of fuel than this raises an alert.</summary>
    [Range(0.1, 168.0)]
    public double FuelBelowHours { get; set; } = 3;

    /// <summary>An uppdrag not acknowledged this many minutes after it was sent raises an alert.</summary>
    [Range(1, 7 * 24 * 60)]
    public int AssignmentUnacknowledgedMinutes { get; set; } = 30;

    /// <summary>An alert not acknowledged this many seconds after a wave goes to the chain's next step.</summary>
    [Range(1, 24 * 3600)]
    public int EscalateAfterSeconds { get; set; } = 600;

    /// <summary>
    /// Per duty (<c>tib</c>, <c>district-…</c>, <c>sector-…</c>) the steps of its escalation chain, one wave each: a
    /// beredskapsschema (whoever is on duty in it then) or a named person. <c>tib</c> is required; an alert about a
    /// district goes to that district's chain when it has one, otherwise to the TiB's.
    /// </summary>
    public Dictionary<string, List<EscalationStep>> Escalation { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Rules?.Any(r => !Enum.IsDefined(r)) == true)
            yield return new ValidationResult($"{Section}:Rules: okänd regel. Tillåtna: {string.Join(", ", Enum.GetNames<AlertRule>())}.", [nameof(Rules)]);
        if (!Escalation.TryGetValue(DutyRosterRules.DutyOfficer, out var tib) || tib.Count == 0)
            yield return new ValidationResult($"{Section}:Escalation:tib saknas: TiB:s larmkedja behövs (minst ett steg).", [nameof(Escalation)]);
        foreach (var (duty, steps) in Escalation)
        {
            if (duty != DutyRosterRules.DutyOfficer && DutyRosterRules.DistrictOf(duty) is not { Length: > 0 } && DutyRosterRules.SectorOf(duty) is not { Length: > 0 })
                yield return new ValidationResult($"{Section}:Escalation:{duty}: en larmkedja hör till tib, district-<område> eller sector-<sektor>.", [nameof(Escalation)]);
            if (steps.Count > AlertRules.WaveLimit)
                yield return new ValidationResult($"{Section}:Escalation:{duty}: högst {AlertRules.WaveLimit} steg (har {steps.Count}).", [nameof(Escalation)]);
            for (var i = 0; i < steps.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(steps[i].Roster) == string.IsNullOrWhiteSpace(steps[i].Person))
                    yield return new ValidationResult($"{Section}:Escalation:{duty}:{i}: ett steg är antingen ett beredskapsschema (Roster) eller en person (Person).", [nameof(Escalation)]);
            }
        }
    }

    public AlertRuleSettings ToSettings(Domain.SafetyPoints.AttentionThresholds attention, Domain.Reports.ReportingRhythm rhythm) => new(
        (Rules is { Count: > 0 } ? Rules : Enum.GetValues<AlertRule>().ToList()).ToImmutableHashSet(),
        attention with { FuelBelowHours = FuelBelowHours },
        rhythm,
        TimeSpan.FromMinutes(AssignmentUnacknowledgedMinutes));
}

/// <summary>One step of an escalation chain: whoever is on duty in a beredskapsschema, or a named person (with the number to call).</summary>
public sealed class EscalationStep
{
    public string? Roster { get; set; }
    public string? Person { get; set; }
    public string? Phone { get; set; }
}
