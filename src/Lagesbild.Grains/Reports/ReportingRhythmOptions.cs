using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Reports;

namespace Lagesbild.Grains.Reports;

/// <summary>The operativ rytm as configured (see <see cref="ReportingRhythm"/>); checked at start.</summary>
public sealed class ReportingRhythmOptions : IValidatableObject
{
    public const string Section = "Lagesbild:Reports";

    /// <summary>
    /// Hours between lägesrapporter per level (its name, e.g. <c>SocietalDisturbance</c>). Configuration
    /// overrides or adds levels to these defaults; normalläge has none unless configured.
    /// </summary>
    public Dictionary<string, double> CadenceHours { get; set; } = new()
    {
        [nameof(EscalationLevel.SocietalDisturbance)] = 4,
        [nameof(EscalationLevel.ExtraordinaryEvent)] = 2,
        [nameof(EscalationLevel.HeightenedAlert)] = 2,
        [nameof(EscalationLevel.HighestAlert)] = 1,
    };

    /// <summary>Minutes before a begäran's deadline that its reminder goes out.</summary>
    [Range(1, 24 * 60)]
    public int ReminderLeadMinutes { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (level, hours) in CadenceHours)
        {
            if (!Enum.TryParse<EscalationLevel>(level, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed))
                yield return new ValidationResult($"Okänd nivå '{level}'. Tillåtna: {string.Join(", ", Enum.GetNames<EscalationLevel>())}.", [nameof(CadenceHours)]);
            else if (!double.IsFinite(hours) || hours <= 0 || hours > 168)
                yield return new ValidationResult($"Rapporttakten vid {level} måste vara mer än 0 och högst 168 timmar (är {hours}).", [nameof(CadenceHours)]);
        }
    }

    public ReportingRhythm ToRhythm() => new(
        CadenceHours.ToFrozenDictionary(c => Enum.Parse<EscalationLevel>(c.Key), c => TimeSpan.FromHours(c.Value)),
        TimeSpan.FromMinutes(ReminderLeadMinutes));
}
