using System.Text.Json;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Duty;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Duty;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Options;

namespace Lagesbild.Grains.Alerts;

/// <summary>
/// Whom each wave of an alert reaches: the duty's escalation chain (<see cref="AlertOptions.Escalation"/>), each
/// step resolved when its wave is sent, from the beredskapsschema as it stands then (a hand-over counts at once).
/// </summary>
public sealed class AlertChains(IOptions<AlertOptions> options, IGrainFactory grains, TimeProvider clock)
{
    /// <summary>The duty whose chain an alert follows: the district's own when the city configured one, else the TiB's.</summary>
    public string DutyFor(string? district) =>
        district is not null && options.Value.Escalation.ContainsKey(DutyRosterRules.RosterOfDistrict(district))
            ? DutyRosterRules.RosterOfDistrict(district)
            : DutyRosterRules.DutyOfficer;

    /// <summary>Wave <paramref name="wave"/> (1 first) of the duty's chain: whom it reaches and how long before the next; null when the chain is used up.</summary>
    public async Task<(AlertTarget To, int? EscalateAfterSeconds)?> WaveAsync(string picture, string duty, int wave)
    {
        var chain = options.Value.Escalation.GetValueOrDefault(duty) ?? options.Value.Escalation[DutyRosterRules.DutyOfficer];
        if (wave < 1 || wave > chain.Count)
            return null;
        var step = chain[wave - 1];
        var to = step.Person is { Length: > 0 } person
            ? new AlertTarget(person, step.Phone, "person")
            : await OnDutyAsync(picture, step.Roster!);
        return (to, wave < chain.Count ? options.Value.EscalateAfterSeconds : null);
    }

    private async Task<AlertTarget> OnDutyAsync(string picture, string roster)
    {
        if (EntityRef.IsValidId(roster) && await grains.GetGrain<IDutyRosterGrain>(EntityKey.Of(picture, roster)).Record() is { } record)
        {
            using var document = JsonDocument.Parse(record);
            var state = document.RootElement.GetProperty("state").Deserialize<DutyRosterState>(DomainJson.Options)!;
            if (DutyRosterRules.OnDuty(state, clock.GetUtcNow()) is { } shift)
                return new AlertTarget(shift.Person, shift.Phone, roster);
        }
        // Nobody on duty in the roster now: the wave reaches nobody, and the next goes at once.
        return new AlertTarget(null, null, roster);
    }
}
