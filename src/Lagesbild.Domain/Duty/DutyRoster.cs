using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Duty;

/// <summary>One beredskapspass: who is on duty from when to when, and the number to reach them on.</summary>
public sealed record DutyShift(string Person, DateTimeOffset From, DateTimeOffset To, string? Phone = null);

/// <summary>A shift as a plan gives it, before it is checked.</summary>
public sealed record PlannedShift(string? Person, DateTimeOffset? From, DateTimeOffset? To, string? Phone = null);

/// <summary>
/// A beredskapsschema for one duty: the TiB (<c>tib</c>) and the TiB's backup (<c>tib-reserv</c>), a district's duty (<c>district-farsta</c>) or a
/// sector's (<c>sector-energi</c>). Its shifts follow each other without gap or overlap, so at any
/// moment within the plan exactly one person holds the duty.
/// </summary>
public sealed record DutyRosterState(string Name, IReadOnlyList<DutyShift> Shifts, string? District = null, string? Sector = null);

public abstract record DutyRosterCommand : Command
{
    public override EntityKind Kind => EntityKind.DutyRoster;
}

/// <summary>Lays out the roster's shifts (the whole plan, replacing the one before); creates the roster when it is the first.</summary>
public sealed record PlanDutyRoster(IReadOnlyList<PlannedShift>? Shifts) : DutyRosterCommand
{
    protected override void Check(Problems problems)
    {
        problems.Required("shifts", Shifts);
        if (Shifts is null)
            return;
        if (Shifts.Count is 0 or > DutyRosterRules.ShiftLimit)
            problems.Add("shifts", $"Ett schema har 1–{DutyRosterRules.ShiftLimit} pass (har {Shifts.Count}).");
        for (var i = 0; i < Math.Min(Shifts.Count, DutyRosterRules.ShiftLimit); i++)
        {
            var shift = Shifts[i];
            if (shift is null)
            {
                problems.Add($"shifts[{i}]", "Måste anges.");
                continue;
            }
            problems.Text($"shifts[{i}].person", shift.Person, 200, required: true);
            problems.Text($"shifts[{i}].phone", shift.Phone, 40);
            problems.Required($"shifts[{i}].from", shift.From);
            problems.Required($"shifts[{i}].to", shift.To);
            if (shift is { From: { } from, To: { } to } && to <= from)
                problems.Add($"shifts[{i}].to", "Passet måste sluta efter att det börjar.");
            else if (shift is { From: { } start, To: { } end } && end - start > DutyRosterRules.LongestShift)
                problems.Add($"shifts[{i}].to", $"Ett pass är högst {DutyRosterRules.LongestShift.TotalDays:0} dygn.");
        }
    }
}

/// <summary>Överlämning: the person on duty now hands the rest of their shift to another.</summary>
public sealed record HandOverDuty(string? To, string? Phone = null) : DutyRosterCommand
{
    protected override void Check(Problems problems)
    {
        problems.Text("to", To, 200, required: true);
        problems.Text("phone", Phone, 40);
    }
}

public sealed record DutyRosterPlanned(IReadOnlyList<DutyShift> Shifts) : Change;

public sealed record DutyHandedOver(string From, string To, DateTimeOffset At, DateTimeOffset Until) : Change;

/// <summary>Who holds a duty at a moment, and whether the duty is in force (outside office hours).</summary>
public sealed record DutyNow(string Roster, DutyShift? Now, DutyShift? Next, bool InForce);

/// <summary>The rules of a beredskapsschema. Who may change one is <see cref="Access"/>'s.</summary>
public static class DutyRosterRules
{
    public const int ShiftLimit = 100;
    public static readonly TimeSpan LongestShift = TimeSpan.FromDays(14);
    public const string DutyOfficer = "tib";
    /// <summary>The TiB's backup (reserv), the second step of the TiB's escalation chain.</summary>
    public const string DutyOfficerBackup = "tib-reserv";
    private const string DistrictPrefix = "district-";
    private const string SectorPrefix = "sector-";

    public static string? DistrictOf(string rosterId) => rosterId.StartsWith(DistrictPrefix, StringComparison.Ordinal) ? rosterId[DistrictPrefix.Length..] : null;

    public static string? SectorOf(string rosterId) => rosterId.StartsWith(SectorPrefix, StringComparison.Ordinal) ? rosterId[SectorPrefix.Length..] : null;

    public static string RosterOfDistrict(string district) => DistrictPrefix + district;

    /// <summary>What the page calls a roster (the district's or sector's own name is the page's to add).</summary>
    public static string NameOf(string rosterId) => (DistrictOf(rosterId), SectorOf(rosterId)) switch
    {
        ({ } district, _) => $"Stadsdelsberedskap {district}",
        (_, { } sector) => $"Sektorsberedskap {sector}",
        _ when rosterId == DutyOfficerBackup => "TiB reserv",
        _ => "TiB",
    };

    public static Decision<DutyRosterState> Decide(EntityRef self, DutyRosterState? state, DutyRosterCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        var district = DistrictOf(self.Id);
        var sector = SectorOf(self.Id);
        if (self.Id is not (DutyOfficer or DutyOfficerBackup) && district is not { Length: > 0 } && sector is not { Length: > 0 })
            return Invalid("id", "Ett beredskapsschema heter tib, tib-reserv, district-<stadsdelsområde> eller sector-<sektor>.");
        if (district is not null && !context.Areas.DistrictExists(district))
            return Invalid("id", $"Stadsdelsområdet {district} finns inte.");

        switch (command)
        {
            case PlanDutyRoster plan:
            {
                var shifts = plan.Shifts!
                    .Select(s => new DutyShift(s.Person!.Trim(), s.From!.Value, s.To!.Value, Trimmed(s.Phone)))
                    .OrderBy(s => s.From)
                    .ToArray();
                for (var i = 1; i < shifts.Length; i++)
                {
                    var (before, after) = (shifts[i - 1], shifts[i]);
                    if (after.From < before.To)
                        return Invalid("shifts", $"Passen för {before.Person} ({Span(before)}) och {after.Person} ({Span(after)}) överlappar; två kan inte ha samma beredskap samtidigt.");
                    if (after.From > before.To)
                        return Invalid("shifts", $"Mellan {before.Person}s pass (slutar {Local(before.To)}) och {after.Person}s (börjar {Local(after.From)}) har ingen beredskap; nästa pass måste börja när det förra slutar.");
                }
                if (shifts[^1].To <= context.Now)
                    return Invalid("shifts", "Hela schemat ligger i det förflutna; ett schema planerar beredskap framåt.");
                if (state is not null && OnDuty(state, context.Now) is { } holding && OnDuty(shifts, context.Now) is null)
                    return Invalid("shifts", $"{holding.Person} har beredskap nu; det nya schemat lämnar ingen i tjänst nu. Lämna över passet i stället.");
                return Decision<DutyRosterState>.Accept(new DutyRosterPlanned(shifts), new DutyRosterState(NameOf(self.Id), shifts, district, sector));
            }
            case HandOverDuty handOver:
            {
                if (state is null)
                    return Refusal.NotFound(self);
                var index = IndexOnDuty(state.Shifts, context.Now);
                if (index < 0)
                    return Refusal.Conflict("Ingen har beredskap enligt schemat just nu, så det finns inget pass att lämna över.");
                var current = state.Shifts[index];
                var to = handOver.To!.Trim();
                if (to == current.Person)
                    return Refusal.Conflict($"{to} har redan beredskapen.");
                var shifts = state.Shifts.ToList();
                shifts[index] = current with { To = context.Now };
                shifts.Insert(index + 1, new DutyShift(to, context.Now, current.To, Trimmed(handOver.Phone)));
                if (shifts[index].From == shifts[index].To)
                    shifts.RemoveAt(index);
                return Decision<DutyRosterState>.Accept(
                    new DutyHandedOver(current.Person, to, context.Now, current.To),
                    state with { Shifts = Kept(shifts, context.Now) });
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, null);
        }
    }

    /// <summary>The shift in force at the moment, or null when the plan has nobody then.</summary>
    public static DutyShift? OnDuty(DutyRosterState state, DateTimeOffset moment) => OnDuty(state.Shifts, moment);

    /// <summary>Who holds the duty now and next; the duty is in force outside office hours, when the office does not answer.</summary>
    public static DutyNow Now(string rosterId, DutyRosterState state, DateTimeOffset moment, IOfficeHours officeHours)
    {
        var index = IndexOnDuty(state.Shifts, moment);
        var next = state.Shifts.FirstOrDefault(s => s.From > moment);
        return new DutyNow(rosterId, index < 0 ? null : state.Shifts[index], next, !officeHours.IsOpen(moment));
    }

    private static DutyShift? OnDuty(IReadOnlyList<DutyShift> shifts, DateTimeOffset moment) =>
        IndexOnDuty(shifts, moment) is var index and >= 0 ? shifts[index] : null;

    private static int IndexOnDuty(IReadOnlyList<DutyShift> shifts, DateTimeOffset moment)
    {
        for (var i = 0; i < shifts.Count; i++)
        {
            if (shifts[i].From <= moment && moment < shifts[i].To)
                return i;
        }
        return -1;
    }

    /// <summary>Shifts over for a day leave the record (the loggbok keeps them), so a roster stays small in the map's join.</summary>
    private static DutyShift[] Kept(List<DutyShift> shifts, DateTimeOffset now) =>
        shifts.Where(s => s.To > now.AddDays(-1)).TakeLast(ShiftLimit).ToArray();

    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    private static string Local(DateTimeOffset moment) => TimeZoneInfo.ConvertTime(moment, Stockholm).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static string Span(DutyShift shift) => $"{Local(shift.From)}–{Local(shift.To)}";

    private static Refusal Invalid(string field, string message) => Refusal.Invalid(new Dictionary<string, string[]> { [field] = [message] });

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
