using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Lagesbild.Server.Replay;

/// <summary>
/// A picture as a file (<see cref="LoggbokFile"/>): its whole loggbok out, for a backup or an
/// exercise's archive, and in again as a new picture, elsewhere or here, with the same digest
/// at every sequence number. Central krisledning only (<see cref="Domain.Picture.Access.CheckPictureFile"/>).
/// </summary>
public static class PictureFileApi
{
    public static IEndpointRouteBuilder MapPictureFileApi(this IEndpointRouteBuilder app)
    {
        var loggbok = app.MapGroup("/api/pictures/{picture}/loggbok").WithTags("Lägesbild").RequireAuthorization(AccessExtensions.OperatorsPicture);

        loggbok.MapGet("/export", ExportAsync)
            .Produces<string>(StatusCodes.Status200OK, LoggbokFile.ContentType)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Hela loggboken som en fil (NDJSON: ett huvud, sedan en rad per post med dess länk i hashkedjan); bara central krisledning");
        loggbok.MapPost("/import", ImportAsync)
            .Accepts<string>(LoggbokFile.ContentType)
            .Produces<PictureImported>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Läs in en exporterad loggbok som en ny lägesbild; en skadad, avkortad eller omkastad fil avvisas med raden, och inget sparas");
        return app;
    }

    private static async Task<IResult> ExportAsync(string picture, HttpContext http, Actors actors, PictureStore store, PictureReplay replay, PictureDirectory pictures, TimeProvider clock)
    {
        if (Domain.Picture.Access.CheckPictureFile(actors.Of(http.User)!) is { } forbidden)
            return Results.Problem(CommandResponses.Problem(forbidden));
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        var keys = new PictureKeys(picture);
        var (header, problem) = await LoggbokFile.HeaderAsync(store, replay, keys, clock.GetUtcNow());
        if (problem is not null)
            return Results.Problem(CommandResponses.Problem(Refusal.Conflict(problem)));
        return Results.Stream(output => LoggbokFile.WriteAsync(output, header!, store, keys, http.RequestAborted),
            LoggbokFile.ContentType, $"loggbok-{picture}-{header!.LastSeq}.ndjson");
    }

    private static async Task<IResult> ImportAsync(string picture, HttpContext http, Actors actors, ReplayStore replays, PictureDirectory pictures, Exercises.ExerciseAbouts abouts, TimeProvider clock, ILoggerFactory loggers)
    {
        if (Domain.Picture.Access.CheckPictureFile(actors.Of(http.User)!) is { } forbidden)
            return Results.Problem(CommandResponses.Problem(forbidden));
        if (!PictureId.IsValid(picture))
            return Invalid(null, "En lägesbild heter live eller ex-, följt av små bokstäver, siffror och bindestreck.");
        if (await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(Refusal.Conflict($"Lägesbilden '{picture}' finns redan. En import skapar en ny lägesbild: välj ett id som inte används.")));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = LoggbokFile.MaxBytes;

        var started = clock.GetTimestamp();
        var (imported, header, problem) = await LoggbokFile.ReadAsync(http.Request.Body, picture);
        var checkedIn = clock.GetElapsedTime(started);
        if (problem is not null)
            return Invalid(problem.Line, problem.Message);
        var keys = new PictureKeys(picture);
        await replays.RemoveUnfinishedAsync(keys);
        if (!await replays.ImportAsync(keys, imported!, clock.GetUtcNow()))
            return Results.Problem(CommandResponses.Problem(Refusal.Conflict($"Lägesbilden '{picture}' skapades medan filen lästes in.")));
        if (PictureId.IsExercise(picture))
            await abouts.SaveAsync(new Exercises.ExerciseAbout(picture, null, null, clock.GetUtcNow(), actors.Of(http.User)!.Name,
                StartedFrom: new Exercises.StartingState(Exercises.StartingStateKind.File, header!.Picture, header.LastSeq)));
        loggers.CreateLogger(typeof(PictureFileApi)).LogInformation(
            "Imported {Count} loggbok entries of {From} as {Picture}: read and checked in {Checked} ms, stored in {Stored} ms",
            header!.Count, header.Picture, picture, (long)checkedIn.TotalMilliseconds, (long)(clock.GetElapsedTime(started) - checkedIn).TotalMilliseconds);
        return TypedResults.Created($"/api/pictures/{picture}/snapshot", new PictureImported(picture, header!.Picture, header.Count, header.LastSeq, header.Digest));
    }

    /// <summary>A file that cannot be imported: what is wrong, and on which line (<c>line</c>, also in the text).</summary>
    private static IResult Invalid(long? line, string message)
    {
        var problem = new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Filen kan inte läsas in", Detail = $"{message} Ingenting sparades." };
        if (line is not null)
            problem.Extensions["line"] = line;
        return Results.Problem(problem);
    }
}

/// <summary>An imported loggbok: the new picture, the one the file came from, its entries and the digest it reproduced.</summary>
public sealed record PictureImported(string Picture, string From, long Count, long LastSeq, string Digest);
