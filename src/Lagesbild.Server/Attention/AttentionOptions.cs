using System.Collections.Immutable;
using System.ComponentModel.DataAnnotations;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Server.Attention;

/// <summary>The city's thresholds for when a trygghetspunkt needs attention (<c>Lagesbild:Attention</c>).</summary>
public sealed class AttentionOptions : IValidatableObject
{
    public const string Section = "Lagesbild:Attention";

    /// <summary>On backup power with fewer hours of fuel left than this.</summary>
    [Range(0.0, 168.0)]
    public double FuelBelowHours { get; set; } = 6;

    /// <summary>Colder indoors than this; 18 °C is what a point should keep.</summary>
    [Range(0.0, 30.0)]
    public double MinIndoorCelsius { get; set; } = 18;

    /// <summary>More visitors than this share of day capacity.</summary>
    [Range(1.0, 1000.0)]
    public double FullAbovePercent { get; set; } = 90;

    /// <summary>In operation and nothing reported for this long.</summary>
    [Range(1, 10_080)]
    public int NoReportAfterMinutes { get; set; } = 120;

    /// <summary>How long each status holds before it turns stale; accessibility changes rarely, fuel by the hour.</summary>
    public Dictionary<ConditionKind, int> StaleAfterMinutes { get; set; } = new()
    {
        [ConditionKind.Power] = 60,
        [ConditionKind.Heat] = 120,
        [ConditionKind.Water] = 120,
        [ConditionKind.Communications] = 60,
        [ConditionKind.Capacity] = 60,
        [ConditionKind.Accessibility] = 1440,
        [ConditionKind.Staffing] = 240,
    };

    /// <summary>The city's order for fuel deliveries: point ids, most urgent first.</summary>
    public List<string> FuelPriority { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var kind in Enum.GetValues<ConditionKind>())
        {
            if (!StaleAfterMinutes.TryGetValue(kind, out var minutes))
                yield return new ValidationResult($"{Section}:StaleAfterMinutes saknar {kind}.", [nameof(StaleAfterMinutes)]);
            else if (minutes is < 1 or > 10_080)
                yield return new ValidationResult($"{Section}:StaleAfterMinutes:{kind} måste vara mellan 1 och 10080 minuter (är {minutes}).", [nameof(StaleAfterMinutes)]);
        }
        if (FuelPriority.Any(string.IsNullOrWhiteSpace))
            yield return new ValidationResult($"{Section}:FuelPriority har en tom punkt.", [nameof(FuelPriority)]);
        if (FuelPriority.Distinct(StringComparer.Ordinal).Count() != FuelPriority.Count)
            yield return new ValidationResult($"{Section}:FuelPriority nämner samma punkt flera gånger.", [nameof(FuelPriority)]);
    }

    public AttentionThresholds ToThresholds() => new(
        FuelBelowHours,
        MinIndoorCelsius,
        FullAbovePercent,
        TimeSpan.FromMinutes(NoReportAfterMinutes),
        StaleAfterMinutes.ToImmutableDictionary(s => s.Key, s => TimeSpan.FromMinutes(s.Value)),
        [.. FuelPriority]);
}
