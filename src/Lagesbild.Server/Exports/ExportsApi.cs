using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;

namespace Lagesbild.Server.Exports;

/// <summary>
/// Exports for the krisledningsmöte, each scoped to a picture and read as the page reads: whoever may
/// see the operators' picture may export it (the public may not), and a partner's export leaves out
/// the notes the city marked internal. The samlad lägesbild and each reporter's lägesrapporter as
/// PDF; reports as CSV and JSON; the beslutslogg and the uppdrag as meeting minutes, PDF and CSV.
/// </summary>
public static class ExportsApi
{
    public const string Pdf = "application/pdf";
    public const string Json = "application/json";

    public static IEndpointRouteBuilder MapExportsApi(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/pictures/{picture}/exports").WithTags("Export").RequireAuthorization(AccessExtensions.OperatorsPicture).RequireExistingPicture();

        exports.MapGet("/overview.pdf", OverviewPdfAsync)
            .Produces<byte[]>(StatusCodes.Status200OK, Pdf)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Samlad lägesbild som PDF (samma innehåll som GET /overview, med since: vad som ändrats sedan dess); ÖVNING på varje sida i en övning");
        exports.MapGet("/reports/{reporter}.pdf", ReportPdfAsync)
            .WithName("GetPicturesExportsReportPdf")
            .Produces<byte[]>(StatusCodes.Status200OK, Pdf)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("En rapportörs lägesrapporter som PDF, varje version med varför den rättades");
        exports.MapGet("/reports.csv", ReportsCsvAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithSummary("Alla lägesrapporter och deras versioner som CSV (UTF-8 med BOM, semikolon, för Excel)");
        exports.MapGet("/reports.json", ReportsJsonAsync)
            .Produces<ReportsExport>(StatusCodes.Status200OK, Json)
            .WithSummary("Alla lägesrapporter och deras versioner som JSON");
        exports.MapGet("/minutes.pdf", MinutesPdfAsync)
            .Produces<byte[]>(StatusCodes.Status200OK, Pdf)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Mötesprotokoll som PDF: beslutsloggen (mandat, underlag, berörda, giltighet, kommunicerat till) och uppdragen med deras steg, valfritt inom ett tidsintervall");
        exports.MapGet("/minutes.json", MinutesJsonAsync)
            .Produces<MinutesExport>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Mötesprotokollets innehåll som JSON (sidans utskriftsvy), valfritt inom ett tidsintervall");
        exports.MapGet("/minutes.csv", MinutesCsvAsync)
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Mötesprotokoll som CSV: ett beslut eller ett uppdrag per rad, valfritt inom ett tidsintervall");
        return app;
    }

    private static async Task<IResult> OverviewPdfAsync(string picture, DateTimeOffset? since, PictureExports exports, TimeProvider clock)
    {
        if (ReportsApi.CheckSince(since, clock.GetUtcNow()) is { } refusal)
            return Results.Problem(CommandResponses.Problem(refusal));
        var overview = await exports.OverviewAsync(picture, since);
        var heading = await exports.HeadingAsync(picture, "Samlad lägesbild", overview.Seq);
        return Results.File(ExportDocuments.OverviewPdf(heading, overview), Pdf, heading.FileName("samlad-lagesbild", "pdf"));
    }

    private static async Task<IResult> ReportPdfAsync(string picture, string reporter, PictureExports exports, HttpContext http, Actors actors)
    {
        if (!EntityRef.IsValidId(reporter) || ReportRules.ReporterOf(reporter) is null)
            return Results.Problem(CommandResponses.Problem(Refusal.NotFound(new EntityRef(EntityKind.SituationReport, reporter))));
        var (seq, versions) = await exports.ReportsAsync(picture, reporter, SeesInternalNotes(http, actors));
        if (versions.Count == 0)
            return Results.Problem(CommandResponses.Problem(new Refusal(RefusalKind.NotFound, $"{reporter} har inte skickat någon lägesrapport i den här lägesbilden.")));
        var heading = await exports.HeadingAsync(picture, $"Lägesrapporter – {versions[0].ReporterName}", seq);
        return Results.File(ExportDocuments.ReportPdf(heading, versions), Pdf, heading.FileName($"lagesrapporter-{reporter}", "pdf"));
    }

    private static async Task<IResult> ReportsCsvAsync(string picture, PictureExports exports, HttpContext http, Actors actors)
    {
        var (heading, versions) = await ReportsAsync(picture, exports, http, actors);
        return Results.File(ExportDocuments.ReportsCsv(versions), CsvTable.ContentType, heading.FileName("lagesrapporter", "csv"));
    }

    private static async Task<IResult> ReportsJsonAsync(string picture, PictureExports exports, HttpContext http, Actors actors)
    {
        var (heading, versions) = await ReportsAsync(picture, exports, http, actors);
        return Results.File(ExportDocuments.ReportsJson(heading, versions), Json, heading.FileName("lagesrapporter", "json"));
    }

    private static async Task<IResult> MinutesPdfAsync(string picture, DateTimeOffset? from, DateTimeOffset? to, PictureExports exports, HttpContext http, Actors actors) =>
        await MinutesAsync(picture, from, to, exports, http, actors, (heading, minutes) =>
            Results.File(ExportDocuments.MinutesPdf(heading, minutes), Pdf, heading.FileName("protokoll", "pdf")));

    private static async Task<IResult> MinutesJsonAsync(string picture, DateTimeOffset? from, DateTimeOffset? to, PictureExports exports, HttpContext http, Actors actors) =>
        await MinutesAsync(picture, from, to, exports, http, actors, (heading, minutes) =>
            TypedResults.Ok(new MinutesExport(heading.Picture, heading.PictureName, heading.IsExercise, heading.MadeAt, heading.Seq, minutes)));

    private static async Task<IResult> MinutesCsvAsync(string picture, DateTimeOffset? from, DateTimeOffset? to, PictureExports exports, HttpContext http, Actors actors) =>
        await MinutesAsync(picture, from, to, exports, http, actors, (heading, minutes) =>
            Results.File(ExportDocuments.MinutesCsv(minutes), CsvTable.ContentType, heading.FileName("protokoll", "csv")));

    private static async Task<(ExportHeading Heading, IReadOnlyList<ReportVersion> Versions)> ReportsAsync(string picture, PictureExports exports, HttpContext http, Actors actors)
    {
        var (seq, versions) = await exports.ReportsAsync(picture, null, SeesInternalNotes(http, actors));
        return (await exports.HeadingAsync(picture, "Lägesrapporter", seq), versions);
    }

    /// <summary>The minutes of the range, as the reader may read them, written by <paramref name="write"/>; a range that ends before it begins is refused.</summary>
    private static async Task<IResult> MinutesAsync(string picture, DateTimeOffset? from, DateTimeOffset? to, PictureExports exports, HttpContext http, Actors actors,
        Func<ExportHeading, MeetingMinutes, IResult> write)
    {
        if (from > to)
            return Invalid("from", "Måste ligga före to (tidsintervallets slut).");
        var (seq, minutes) = await exports.MinutesAsync(picture, from, to, SeesInternalNotes(http, actors));
        return write(await exports.HeadingAsync(picture, "Mötesprotokoll – beslut och uppdrag", seq), minutes);
    }

    /// <summary>Partners read the picture without the notes the city marked internal (the same rule as /log).</summary>
    private static bool SeesInternalNotes(HttpContext http, Actors actors) => Roles.SeesInternalNotes(actors.Of(http.User)!.Role);

    private static IResult Invalid(string field, string message) =>
        Results.Problem(CommandResponses.Problem(Refusal.Invalid(new Dictionary<string, string[]> { [field] = [message] })));
}
