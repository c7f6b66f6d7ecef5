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

    /// <summary>
    /// The desk a forward names and its person on duty now: a district's beredskapsschema (else the district's duty contact),
    /// or the first person a crisis body has on duty; null when the picture has no such district or crisis body.
    /// </summary>
    public async Task<ForwardDesk?> DeskAsync(string picture, ForwardAlert forward)
    {
        if (forward.District is { } district && EntityRef.IsValidId(district))
        {
            if (StateOf<Domain.Districts.DistrictState>(await grains.GetGrain<Districts.IDistrictGrain>(EntityKey.Of(picture, district)).Record()) is not { } area)
                return null;
            var roster = DutyRosterRules.RosterOfDistrict(district);
            var name = $"beredskapen i {area.Name}";
            var onDuty = await OnDutyAsync(picture, roster);
            return onDuty.Person is not null
                ? new ForwardDesk(roster, name, onDuty.Person, onDuty.Phone)
                : new ForwardDesk(roster, name, area.DutyContact?.Name, area.DutyContact?.Phone);
        }
        if (forward.CrisisBody is { } id && EntityRef.IsValidId(id)
            && StateOf<Domain.CrisisBodies.CrisisBodyState>(await grains.GetGrain<CrisisBodies.ICrisisBodyGrain>(EntityKey.Of(picture, id)).Record()) is { } body)
        {
            var first = body.OnDuty.FirstOrDefault();
            return new ForwardDesk(id, body.Name, first?.Name, first?.Phone);
        }
        return null;
    }

    private static T? StateOf<T>(string? record) where T : class
    {
        if (record is null)
            return null;
        using var document = JsonDocument.Parse(record);
        return document.RootElement.GetProperty("state").Deserialize<T>(DomainJson.Options);
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
