using System.Collections.Immutable;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Sectors;

/// <summary>How a beredskapssektor's vital functions are working.</summary>
public enum SectorStatus
{
    Normal,
    /// <summary>Störd.</summary>
    Disturbed,
    /// <summary>Allvarligt störd.</summary>
    SeriouslyDisturbed,
    /// <summary>Utslagen.</summary>
    Down,
}

/// <summary>One sector of the city's sektorsorganisation för civil beredskap.</summary>
public sealed record SectorState(
    string Name,
    string LeadBody,
    SectorStatus Status,
    ImmutableArray<string> AffectedDistricts,
    string? Needs,
    string? Prognosis);

public abstract record SectorCommand : Command
{
    public override EntityKind Kind => EntityKind.Sector;
}

public sealed record RegisterSector(string? Name, string? LeadBody) : SectorCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        problems.Text("name", Name, 200, required: true);
        problems.Text("leadBody", LeadBody, 200, required: true);
    }
}

/// <summary>A sector lead's report (lägesrapport): status, which districts are affected, needs and prognosis.</summary>
public sealed record ReportSectorStatus(SectorStatus? Status, ImmutableArray<string>? AffectedDistricts, string? Needs, string? Prognosis) : SectorCommand
{
    protected override void Check(Problems problems)
    {
        problems.Defined("status", Status);
        problems.Text("needs", Needs, 4000);
        problems.Text("prognosis", Prognosis, 4000);
        if (AffectedDistricts is { } districts)
        {
            if (districts.Length > 20)
                problems.Add("affectedDistricts", "Högst 20 stadsdelsområden.");
            if (districts.Any(d => !EntityRef.IsValidId(d)))
                problems.Add("affectedDistricts", "Innehåller ett ogiltigt id.");
        }
    }
}

public sealed record SetSectorLead(string? LeadBody) : SectorCommand
{
    protected override void Check(Problems problems) => problems.Text("leadBody", LeadBody, 200, required: true);
}

public sealed record SectorRegistered(string Name, string LeadBody) : Change;
public sealed record SectorStatusReported(SectorStatus From, SectorStatus To, ImmutableArray<string> AffectedDistricts) : Change;
public sealed record SectorLeadSet(string LeadBody) : Change;

/// <summary>The rules of a sector.</summary>
public static class SectorRules
{
    public static Decision<SectorState> Decide(EntityRef self, SectorState? state, SectorCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            return command is RegisterSector register
                ? Decision<SectorState>.Accept(
                    new SectorRegistered(register.Name!, register.LeadBody!),
                    new SectorState(register.Name!, register.LeadBody!, SectorStatus.Normal, [], null, null))
                : Refusal.NotFound(self);
        }

        switch (command)
        {
            case RegisterSector:
                return Refusal.Conflict($"{self} finns redan.");
            case ReportSectorStatus report:
                var districts = (report.AffectedDistricts ?? []).Distinct().Order(StringComparer.Ordinal).ToImmutableArray();
                var unknown = districts.Where(d => !context.Areas.DistrictExists(d)).ToArray();
                if (unknown.Length > 0)
                {
                    return Refusal.Invalid(new Dictionary<string, string[]>
                    {
                        ["affectedDistricts"] = [$"Okända stadsdelsområden: {string.Join(", ", unknown)}."],
                    });
                }
                if (report.Status != SectorStatus.Normal && districts.Length == 0)
                {
                    return Refusal.Invalid(new Dictionary<string, string[]>
                    {
                        ["affectedDistricts"] = ["Ange vilka stadsdelsområden som berörs när sektorn inte är i normalläge."],
                    });
                }
                var next = state with
                {
                    Status = report.Status!.Value,
                    AffectedDistricts = districts,
                    Needs = Clean(report.Needs),
                    Prognosis = Clean(report.Prognosis),
                };
                return Decision<SectorState>.Accept(new SectorStatusReported(state.Status, next.Status, districts), next);
            case SetSectorLead lead:
                if (lead.LeadBody!.Trim() == state.LeadBody)
                    return Refusal.Conflict($"{state.LeadBody} leder redan sektorn.");
                return Decision<SectorState>.Accept(new SectorLeadSet(lead.LeadBody.Trim()), state with { LeadBody = lead.LeadBody.Trim() });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown sector command.");
        }
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
