using Lagesbild.Domain.Exercises;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Lagesbild.Server.Exports;

namespace Lagesbild.Server.Exercises;

/// <summary>
/// An exercise's after-action report (utvärderingsrapport), for exercise control and the evaluators
/// (<see cref="Domain.Picture.Access.CheckEvaluation"/>): as JSON for the page's print view and as a PDF
/// with ÖVNING on every page. Ready the moment the exercise stops; while it runs it is marked preliminary.
/// </summary>
public static class AfterActionApi
{
    public const string Title = "Utvärderingsrapport";

    public static IEndpointRouteBuilder MapAfterActionApi(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/pictures/{picture}/exports").WithTags("Övning").RequireAuthorization(AccessExtensions.OperatorsPicture).RequireExistingPicture();
        exports.MapGet("/after-action.json", JsonAsync)
            .Produces<AfterActionExport>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Utvärderingsrapporten som JSON (sidans utskriftsvy): tidslinje, svarstider per inspel, beslut, försenade rapporter, bedömda övningsmål, förbättringsåtgärder, observationer; preliminär medan övningen pågår");
        exports.MapGet("/after-action.pdf", PdfAsync)
            .Produces<byte[]>(StatusCodes.Status200OK, ExportsApi.Pdf)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Utvärderingsrapporten som PDF med ÖVNING på varje sida (övningsledningen och utvärderarna)");
        return app;
    }

    private static async Task<IResult> JsonAsync(string picture, HttpContext http, Actors actors, AfterActionSource source, PictureExports exports)
    {
        if (Domain.Picture.Access.CheckEvaluation(actors.Of(http.User)!, picture) is { } refused)
            return Results.Problem(CommandResponses.Problem(refused));
        var (seq, report) = await source.BuildAsync(picture);
        var heading = await exports.HeadingAsync(picture, Title, seq);
        return TypedResults.Ok(new AfterActionExport(heading.Picture, heading.PictureName, heading.MadeAt, heading.Seq, report));
    }

    private static async Task<IResult> PdfAsync(string picture, HttpContext http, Actors actors, AfterActionSource source, PictureExports exports)
    {
        if (Domain.Picture.Access.CheckEvaluation(actors.Of(http.User)!, picture) is { } refused)
            return Results.Problem(CommandResponses.Problem(refused));
        var (seq, report) = await source.BuildAsync(picture);
        var heading = await exports.HeadingAsync(picture, report.Preliminary ? $"{Title} (preliminär)" : Title, seq);
        return Results.File(AfterActionDocument.Pdf(heading, report), ExportsApi.Pdf, heading.FileName("utvarderingsrapport", "pdf"));
    }
}

/// <summary>The after-action report as the print view reads it: which exercise, when it was made and at which sequence number.</summary>
public sealed record AfterActionExport(string Picture, string PictureName, DateTimeOffset MadeAt, long Seq, AfterActionReport Report);
