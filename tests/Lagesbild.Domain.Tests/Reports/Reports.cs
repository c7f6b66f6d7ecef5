using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;

namespace Lagesbild.Domain.Tests.Reports;

/// <summary>Reports and people the report tests share.</summary>
internal static class Reports
{
    public static readonly Actor Anna = new("Anna Berg", Roles.Central);
    public static readonly Actor Sara = new("Sara Ek", Roles.District, District: "farsta");
    public static readonly Actor Omar = new("Omar Haddad", Roles.District, District: "sodermalm");
    public static readonly Actor Lena = new("Lena Sjö", Roles.Sector, Sector: "energi");
    public static readonly Actor Polis = new("Polisregion Stockholm", Roles.Observer);

    public static readonly EntityRef Farsta = new(EntityKind.SituationReport, "district-farsta");

    /// <summary>A complete report: every mandatory part and some of the rest.</summary>
    public static ReportContents Full(string what = "Strömavbrott i södra Farsta") => new(
        new ReportEvent(what, "Farsta, Hökarängen", "i dag 06:40", "Ellevio"),
        new ReportConsequences("3 000 hushåll utan ström", "Kylan tränger in i bostäder", null, "Äldre i hemtjänst"),
        "Trygghetspunkten Storforsplan öppnad 08:00",
        "Behöver diesel till reservkraften",
        "Ellevio, hemtjänsten, FRG",
        "Ström åter tidigast i kväll",
        null);
}
