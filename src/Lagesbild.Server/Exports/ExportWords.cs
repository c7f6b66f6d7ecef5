using System.Globalization;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Server.Exports;

/// <summary>
/// The Swedish words an export prints for the domain's values; where the domain already says a
/// value in Swedish (levels, statuses, mandates) its words are used, not copied.
/// </summary>
public static class ExportWords
{
    /// <summary>A lägesrapport's parts by their field (<see cref="ReportRules.Parts"/>), as MSB's Gemensamma grunder names them.</summary>
    public static string Part(string field) => field switch
    {
        "event.what" => "Händelse – vad",
        "event.where" => "Händelse – var",
        "event.when" => "Händelse – när",
        "event.source" => "Händelse – källa",
        "consequences.now" => "Konsekvenser nu",
        "consequences.shortTerm" => "Konsekvenser på kort sikt",
        "consequences.longTerm" => "Konsekvenser på lång sikt",
        "consequences.affected" => "Berörda",
        "actions" => "Vidtagna åtgärder",
        "resourcesAndNeeds" => "Resurser och behov",
        "actors" => "Aktörer",
        "forecast" => "Prognos",
        "decisionsOrCoordination" => "Behov av beslut eller samverkan",
        _ => field,
    };

    public static string Level(string level) =>
        Enum.TryParse<EscalationLevel>(level, out var parsed) ? CityRules.Describe(parsed) : level;

    public static string PointStatus(string status) =>
        Enum.TryParse<SafetyPointStatus>(status, out var parsed) ? SafetyPointRules.Describe(parsed) : status;

    public static string Sector(SectorStatus status) => status switch
    {
        SectorStatus.Normal => "normalt",
        SectorStatus.Disturbed => "stört",
        SectorStatus.SeriouslyDisturbed => "allvarligt stört",
        SectorStatus.Down => "utslaget",
        _ => status.ToString(),
    };

    public static string Body(Activation activation) => activation switch
    {
        Activation.Inactive => "inte aktiverat",
        Activation.Standby => "i beredskap",
        Activation.Activated => "aktiverat",
        _ => activation.ToString(),
    };

    public static string Recipient(RecipientStatus status) => status switch
    {
        RecipientStatus.Sent => "skickad",
        RecipientStatus.Read => "läst",
        RecipientStatus.Answered => "besvarad",
        RecipientStatus.Overdue => "försenad",
        _ => status.ToString(),
    };

    public static string Kind(ResolutionKind kind) => kind switch
    {
        ResolutionKind.Decision => "beslut",
        ResolutionKind.Correction => "rättelse",
        ResolutionKind.Revocation => "upphävande",
        _ => kind.ToString(),
    };

    public static string Mandate(Mandate mandate) => ResolutionRules.Describe(mandate);

    public static string Status(AssignmentStatus status) => AssignmentRules.Describe(status);

    public static string Assignee(Assignee to) => to.Kind switch
    {
        AssigneeKind.District => $"stadsdelsområdet {to.Id}",
        AssigneeKind.Sector => $"sektorn {to.Id}",
        AssigneeKind.CrisisBody => $"krisledningsorganet {to.Id}",
        _ => to.Id ?? "",
    };

    /// <summary>A number as Swedish prints it: a space between thousands, a decimal comma.</summary>
    public static string Number(double value) => value.ToString("#,0.#", Swedish);

    private static readonly NumberFormatInfo Swedish = new() { NumberGroupSeparator = " ", NumberDecimalSeparator = "," };
}
