using Lagesbild.Domain.Exercises;

namespace Lagesbild.Server.Exports;

/// <summary>How the after-action report (utvärderingsrapport) reads on paper; a pure function of the report.</summary>
public static class AfterActionDocument
{
    private static string Time(DateTimeOffset? at) => ExportHeading.Time(at);

    private static string Scenario(TimeSpan? at) => at is { } t ? ExerciseRunRules.Format(t) : "–";

    /// <summary>Wall and scenario time side by side, as the report shows every moment.</summary>
    private static string When(DateTimeOffset? at, TimeSpan? scenario) => $"{Time(at)}, scenariotid {Scenario(scenario)}";

    public static byte[] Pdf(ExportHeading heading, AfterActionReport report)
    {
        var pdf = new PdfSheet(heading);
        pdf.Section("Övningen");
        pdf.Fact("Läge", report.Preliminary
            ? $"{ExerciseClock.Describe(report.Clock)} – preliminär rapport, den blir klar när övningen avslutas"
            : "avslutad – slutlig rapport");
        pdf.Fact("Scenariotid", Scenario(report.ScenarioTime));

        pdf.Section("Inspel och svarstid");
        foreach (var row in report.Injects)
        {
            pdf.Paragraph($"{row.Inject} (planerat {Scenario(row.PlannedAt)}) till {row.To}: {row.Text.Split('\n')[0]}", bold: true);
            pdf.Fact("Förväntad åtgärd", row.ExpectedAction ?? "ingen angiven", indent: 12);
            pdf.Fact("Övningsmål", row.Objective, indent: 12);
            pdf.Fact("Levererat", row.Skipped ? "överhoppat" : row.DeliveredAt is null ? "inte levererat" : When(row.DeliveredAt, row.DeliveredAtScenario), indent: 12);
            if (row.DeliveredAt is not null && row.Expected is not null)
            {
                pdf.Fact("Första svar", row.RespondedAt is null ? "inget svar ännu" : $"{row.RespondedBy}, {When(row.RespondedAt, row.RespondedAtScenario)} [källa: loggbok nr {row.ResponseSeq}]", indent: 12);
                pdf.Fact("Svarstid", row.TimeToResponse is null ? "–" : $"{AfterActionReports.Duration(row.TimeToResponse)} (scenariotid {AfterActionReports.Duration(row.ScenarioTimeToResponse)})", indent: 12);
            }
            pdf.Gap();
        }

        pdf.Section("Tidslinje");
        foreach (var item in report.Timeline)
            pdf.Paragraph($"{Scenario(item.ScenarioAt)} ({Time(item.At)}) {item.By}: {item.What} [nr {item.Seq}]");

        pdf.Section($"Beslut ({report.Decisions.Count})");
        if (report.Decisions.Count == 0)
            pdf.Paragraph("Inga beslut fattades.");
        foreach (var decision in report.Decisions)
            pdf.Paragraph($"{Scenario(decision.ScenarioAt)} ({Time(decision.At)}): {decision.Title} – {decision.DecidedBy} ({ExportWords.Mandate(decision.Mandate)}) [nr {decision.Seq}]");

        pdf.Section($"Försenade lägesrapporter ({report.OverdueReports.Count})");
        if (report.OverdueReports.Count == 0)
            pdf.Paragraph("Ingen rapport var försenad.");
        foreach (var late in report.OverdueReports)
            pdf.Paragraph($"{late.Name}: {(late.DueAt is { } due ? $"skulle ha rapporterat senast {Time(due)}" : "")}{(late.Requests.Length > 0 ? $"{(late.DueAt is null ? "" : "; ")}obesvarad begäran ({late.Requests.Length})" : "")}");

        pdf.Section("Övningsmål");
        foreach (var objective in report.Objectives)
        {
            pdf.Paragraph($"{objective.Objective}: {(objective.Rating is { } rating ? EvaluationRules.Describe(rating) : "inte bedömt")}", bold: true);
            pdf.Fact("Inspel", objective.Injects.Count == 0 ? null : string.Join(", ", objective.Injects), indent: 12);
            pdf.Fact("Kommentar", objective.Comment, indent: 12);
            pdf.Fact("Bedömt av", objective.RatedBy is null ? null : $"{objective.RatedBy}, {Time(objective.RatedAt)}", indent: 12);
        }

        pdf.Section($"Förbättringsåtgärder ({report.Improvements.Count})");
        foreach (var item in report.Improvements)
            pdf.Paragraph($"{item.What} – ägare: {item.Owner} (införd av {item.By}, {Time(item.At)})");

        pdf.Section($"Observationer ({report.Observations.Count})");
        foreach (var observation in report.Observations)
        {
            var about = string.Join(", ", new[] { observation.Inject, observation.Objective }.OfType<string>());
            pdf.Paragraph($"{Scenario(observation.ScenarioAt)} {observation.By}{(about.Length > 0 ? $" ({about})" : "")}: {observation.Text}");
        }
        return pdf.ToBytes();
    }
}
