using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;

namespace Lagesbild.Server.Exports;

/// <summary>
/// How each export reads on paper and in a spreadsheet: the samlad lägesbild and a report's versions
/// as PDF, reports as CSV and JSON, the minutes (beslutslogg and uppdrag) as PDF and CSV. Pure
/// functions of what <see cref="PictureExports"/> gathered; headings and words in Swedish.
/// </summary>
public static class ExportDocuments
{
    private static string Time(DateTimeOffset? at) => ExportHeading.Time(at);

    private static string Source(long? seq) => seq is { } s ? $"[källa: loggbok nr {s}]" : "";

    // ---- the samlad lägesbild ----

    public static byte[] OverviewPdf(ExportHeading heading, SituationOverviewModel overview)
    {
        var pdf = new PdfSheet(heading);
        pdf.Section("Läget i staden");
        pdf.Fact("Stadens nivå", $"{ExportWords.Level(overview.City.Level.ToString())}{(overview.City.DecidedBy is { } by ? $", beslutad av {by} {Time(overview.City.DecidedAt)}" : "")} {Source(overview.City.Source)}");
        pdf.Fact("Rapporteringstakt", overview.City.CadenceHours is { } hours ? $"lägesrapport var {ExportWords.Number(hours)}:e timme" : "lägesrapport vid behov");
        pdf.Fact("Nästa stabsorientering", overview.NextBriefing is { } next ? $"{Time(next)} {Source(overview.NextBriefingSource)}" : "inte utsatt");
        foreach (var step in overview.City.History)
            pdf.Paragraph($"{Time(step.At)}: {ExportWords.Level(step.From)} → {ExportWords.Level(step.To)}, beslutad av {step.DecidedBy} {Source(step.Source)}", indent: 12);

        pdf.Section("Trygghetspunkter");
        var points = overview.Points;
        pdf.Fact("I drift", $"{points.InOperation} trygghetspunkter, {points.Visitors} besökare av kapacitet {points.Capacity}");
        pdf.Fact("Per status", string.Join(", ", points.ByStatus.Where(s => s.Value > 0).Select(s => $"{ExportWords.PointStatus(s.Key)}: {s.Value}")));
        pdf.Fact("På reservkraft", $"{points.OnBackupPower}");
        foreach (var point in points.BackupPower)
            pdf.Paragraph($"{point.Name} ({point.District}): {(point.FuelHours is { } fuel ? $"bränsle för {ExportWords.Number(fuel)} timmar" : "bränsle ej rapporterat")}, {point.Visitors}/{point.Capacity} besökare {Source(point.Source)}", indent: 12);

        pdf.Section("Beredskapssektorer");
        foreach (var sector in overview.Sectors)
            pdf.Paragraph($"{sector.Name}: {ExportWords.Sector(sector.Status)} {Source(sector.Source)}");
        pdf.Section("Krisledningsorgan");
        foreach (var body in overview.CrisisBodies)
            pdf.Paragraph($"{body.Name}: {ExportWords.Body(body.Activation)} {Source(body.Source)}");

        pdf.Section("Senaste lägesrapport per stadsdelsområde och sektor");
        foreach (var report in overview.Reports)
        {
            var latest = report.Number is { } number
                ? $"nr {number}{(report.Version > 1 ? $" (version {report.Version})" : "")}: {report.Headline}, {Time(report.SentAt)} av {report.SentBy}, {ExportWords.Number(report.AgeMinutes ?? 0)} minuter gammal"
                : "ingen rapport";
            var due = report.DueAt is { } at ? $"; nästa senast {Time(at)}" : "";
            pdf.Paragraph($"{report.Name}: {latest}{due}{(report.Overdue ? " – FÖRSENAD" : "")} {Source(report.Source)}");
        }

        if (overview.Requests.Length > 0)
        {
            pdf.Section("Begäran om lägesrapport");
            foreach (var request in overview.Requests)
            {
                pdf.Paragraph($"{request.Title} – senast {Time(request.Deadline)}, svarsfrekvens {ExportWords.Number(request.AnswerRate * 100)} % {Source(request.Source)}", bold: true);
                pdf.Paragraph(string.Join(", ", request.Recipients.Select(r => $"{r.Key}: {ExportWords.Recipient(r.Value)}")), indent: 12);
            }
        }

        if (overview.Since is { } since)
        {
            pdf.Section($"Sedan senaste orienteringen ({Time(since.From)})");
            void Group(string name, IEnumerable<Lagesbild.Domain.Reports.OverviewChange> changes)
            {
                pdf.Paragraph(name, bold: true);
                foreach (var change in changes)
                    pdf.Paragraph($"{Time(change.At)} {change.Type} – {change.Entity} ({change.By}) {Source(change.Seq)}", indent: 12);
            }
            foreach (var (district, changes) in since.Districts)
                Group($"Stadsdelsområdet {district}", changes);
            foreach (var (sector, changes) in since.Sectors)
                Group($"Sektorn {sector}", changes);
            if (since.City.Length > 0)
                Group("Staden", since.City);
            if (since.Truncated)
                pdf.Paragraph("Fler ändringar än listan rymmer; välj en senare tid.");
        }
        return pdf.ToBytes();
    }

    // ---- lägesrapporter ----

    /// <summary>One reporter's lägesrapporter, newest first, every version of each (a correction never hides what it corrected).</summary>
    public static byte[] ReportPdf(ExportHeading heading, IReadOnlyList<ReportVersion> versions)
    {
        var pdf = new PdfSheet(heading);
        if (versions.Count == 0)
            pdf.Paragraph("Inga lägesrapporter.");
        foreach (var version in versions.OrderByDescending(v => v.Seq))
        {
            pdf.Section($"Lägesrapport nr {version.Number}{(version.Version > 1 ? $", version {version.Version} (rättelse)" : "")}");
            pdf.Fact("Från", version.ReporterName);
            pdf.Fact("Skickad", $"{Time(version.At)} av {version.By} {Source(version.Seq)}");
            pdf.Fact("Svar på begäran", version.Request);
            pdf.Fact("Varför rättad", version.Why);
            foreach (var part in ReportRules.Parts)
                pdf.Fact(ExportWords.Part(part.Field), part.Read(version.Contents));
            pdf.Fact("Anteckning", version.Note);
        }
        return pdf.ToBytes();
    }

    public static byte[] ReportsCsv(IReadOnlyList<ReportVersion> versions)
    {
        var csv = new CsvTable([
            "Rapportör", "Namn", "Nummer", "Version", "Skickad", "Skickad av", "Loggbokspost", "Begäran", "Varför rättad",
            .. ReportRules.Parts.Select(p => ExportWords.Part(p.Field)), "Anteckning"]);
        foreach (var v in versions)
        {
            csv.Row([
                v.Reporter, v.ReporterName, v.Number.ToString(), v.Version.ToString(), v.At.ToString("O"), v.By, v.Seq.ToString(), v.Request, v.Why,
                .. ReportRules.Parts.Select(p => p.Read(v.Contents)), v.Note]);
        }
        return csv.ToBytes();
    }

    public static byte[] ReportsJson(ExportHeading heading, IReadOnlyList<ReportVersion> versions) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new ReportsExport(heading.Picture, heading.PictureName, heading.IsExercise, heading.MadeAt, heading.Seq, versions), DomainJson.Options);

    // ---- the minutes ----

    public static byte[] MinutesPdf(ExportHeading heading, MeetingMinutes minutes)
    {
        var pdf = new PdfSheet(heading);
        pdf.Fact("Tidsintervall", $"{(minutes.From is null ? "från början" : Time(minutes.From))} – {(minutes.To is null ? "nu" : Time(minutes.To))}");
        if (minutes.Truncated)
            pdf.Paragraph($"Protokollet tar de första {PictureExports.MinutesLimit} besluten och uppdragen; välj ett kortare tidsintervall för resten.");

        pdf.Section($"Beslut ({minutes.Resolutions.Count})");
        if (minutes.Resolutions.Count == 0)
            pdf.Paragraph("Inga beslut i tidsintervallet.");
        foreach (var r in minutes.Resolutions)
        {
            pdf.Gap();
            pdf.Paragraph($"{r.Title} ({ExportWords.Kind(r.Kind)}, {r.Id})", bold: true);
            pdf.Fact("Beslutat", $"{Time(r.At)} av {r.DecidedBy} med mandat {ExportWords.Mandate(r.Mandate)}; infört av {r.RecordedBy} {Source(r.Seq)}", 12);
            pdf.Fact("Beslut", r.Text, 12);
            pdf.Fact("Rättar/upphäver", r.Corrects, 12);
            pdf.Fact("Nivåändring", r.Escalation is { } step ? $"{step.Entity}: {ExportWords.Level(step.From)} → {ExportWords.Level(step.To)} {Source(step.ChangeSeq)}" : null, 12);
            pdf.Fact("Omfattning", r.Scope, 12);
            pdf.Fact("Område", r.District ?? "hela staden", 12);
            pdf.Fact("Berörda", r.Affected, 12);
            pdf.Fact("Gäller till", r.ValidUntil is null ? "tills vidare" : Time(r.ValidUntil), 12);
            pdf.Fact("Kommunicerat till", r.CommunicatedTo, 12);
            pdf.Fact("Underlag", Basis(r), 12);
            pdf.Fact("Anteckning", r.Note, 12);
        }

        pdf.Section($"Uppdrag ({minutes.Assignments.Count})");
        if (minutes.Assignments.Count == 0)
            pdf.Paragraph("Inga uppdrag i tidsintervallet.");
        foreach (var a in minutes.Assignments)
        {
            pdf.Gap();
            pdf.Paragraph($"{a.Title} ({ExportWords.Status(a.Status)}, {a.Id})", bold: true);
            pdf.Fact("Till", ExportWords.Assignee(a.To), 12);
            pdf.Fact("Från", $"{a.SentBy}, skickat {Time(a.SentAt)} {Source(a.Seq)}", 12);
            pdf.Fact("Senast", Time(a.Due), 12);
            pdf.Fact("Följer beslut", a.FromResolution, 12);
            pdf.Fact("Instruktioner", a.Instructions, 12);
            pdf.Fact("Återrapportering", a.ReportBack, 12);
            pdf.Fact("Anteckning", a.Note, 12);
            foreach (var step in a.Steps)
                pdf.Paragraph($"{Time(step.At)}: {ExportWords.Status(step.Status)} ({step.By}){(step.Note is { } note ? $" – {note}" : "")} {Source(step.Seq)}", indent: 24);
        }
        return pdf.ToBytes();
    }

    public static byte[] MinutesCsv(MeetingMinutes minutes)
    {
        var csv = new CsvTable(
            "Typ", "Id", "Loggbokspost", "Tid", "Rubrik", "Text", "Mandat", "Beslutsfattare eller avsändare", "Mottagare", "Område",
            "Berörda", "Gäller till eller senast", "Kommunicerat till", "Underlag", "Status", "Steg", "Anteckning");
        foreach (var r in minutes.Resolutions)
        {
            csv.Row("Beslut", r.Id, r.Seq.ToString(), r.At.ToString("O"), r.Title, r.Text, ExportWords.Mandate(r.Mandate), r.DecidedBy, null, r.District,
                r.Affected, r.ValidUntil?.ToString("O"), r.CommunicatedTo, Basis(r),
                ExportWords.Kind(r.Kind) + (r.Corrects is { } old ? $" av {old}" : ""), null, r.Note);
        }
        foreach (var a in minutes.Assignments)
        {
            csv.Row("Uppdrag", a.Id, a.Seq.ToString(), a.SentAt.ToString("O"), a.Title, a.Instructions, null, a.SentBy, ExportWords.Assignee(a.To), a.District,
                null, a.Due.ToString("O"), null, a.FromResolution is { } from ? $"beslut {from}" : null, ExportWords.Status(a.Status),
                string.Join(" | ", a.Steps.Select(s => $"{s.At:O} {ExportWords.Status(s.Status)} ({s.By}){(s.Note is { } note ? $": {note}" : "")}")), a.Note);
        }
        return csv.ToBytes();
    }

    private static string Basis(MinutesResolution r)
    {
        var parts = new List<string>();
        if (r.Basis.PictureSeq is { } seq)
            parts.Add($"lägesbilden vid nr {seq}");
        if (r.Basis.Entries is { Length: > 0 } entries)
            parts.Add($"loggboksposter {string.Join(", ", entries)}");
        if (r.Basis.Reports is { Length: > 0 } reports)
            parts.Add($"rapporter {string.Join(", ", reports)}");
        return string.Join("; ", parts);
    }
}
