using System.Text;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Lagesbild.Server.Exercises;

/// <summary>
/// Running an exercise (övningsledning): its description and invited participants, and its scenario
/// (MSEL) imported from the CSV file exercise control keeps in a spreadsheet. Who may is
/// <see cref="Domain.Picture.Access.CheckExerciseControl"/>'s.
/// </summary>
public static class ExerciseApi
{
    /// <summary>A scenario of thousands of rows is far below this.</summary>
    public const int MaxScenarioBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapExerciseApi(this IEndpointRouteBuilder app)
    {
        var exercise = app.MapGroup("/api/pictures/{picture}").WithTags("Övning").RequireAuthorization(AccessExtensions.OperatorsPicture);

        exercise.MapPut("/about", DescribeAsync)
            .Accepts<DescribeExercise>("application/json")
            .Produces<ExerciseAbout>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Beskriv en övning: namn, beskrivning, start och deltagare inbjudna per roll; t.ex. en övning som startade från ett sparat utgångsläge (en importerad fil)");
        exercise.MapPut("/scenario", ImportScenarioAsync)
            .Accepts<string>("text/csv")
            .Produces<ScenarioImported>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Läs in övningens scenario (MSEL) som CSV med ; eller , (UTF-8, med eller utan BOM); varje fel anges med rad och kolumn, och inget ändras då");
        exercise.MapGet("/scenario", GetScenarioAsync)
            .Produces<ExerciseScenario>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Övningens scenario (alla inspel); bara övningsledningen ser det");
        return app;
    }

    /// <summary>The one check of an exercise's description, at creation and when it is described later.</summary>
    public static Refusal? Check(DescribeExercise description, IAreas areas)
    {
        var problems = new Problems();
        problems.Text("name", description.Name, 100, required: true);
        problems.Text("description", description.Description, 2000);
        Invitation.Check(problems, description.Participants, areas);
        return problems.ToRefusal();
    }

    public static ExerciseAbout About(string picture, DescribeExercise description, DateTimeOffset at, string? by, StartingState startedFrom) =>
        new(picture, description.Name!.Trim(), string.IsNullOrWhiteSpace(description.Description) ? null : description.Description.Trim(), at, by,
            description.StartsAt, description.Participants?.Select(p => p with { Name = string.IsNullOrWhiteSpace(p.Name) ? null : p.Name.Trim() }).ToArray(), startedFrom);

    private static async Task<IResult> DescribeAsync(string picture, HttpContext http, Actors actors, PictureDirectory pictures, ExerciseAbouts abouts, IAreas areas, TimeProvider clock)
    {
        // Read first, as a command is: a body of the wrong shape is named at its field whoever sends it.
        var (description, problem) = await CommandBody.ReadAsync<DescribeExercise>(http);
        if (problem is not null)
            return problem;
        var actor = actors.Of(http.User)!;
        if (Domain.Picture.Access.CheckExerciseControl(actor, picture) is { } refused)
            return Results.Problem(CommandResponses.Problem(refused));
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        if (Check(description!, areas) is { } invalid)
            return Results.Problem(CommandResponses.Problem(invalid));
        var before = await abouts.GetAsync(picture);
        // A picture that was not created as an exercise here came in as a file: its saved starting state.
        var about = About(picture, description!, before.CreatedAt ?? clock.GetUtcNow(), before.CreatedBy ?? actor.Name,
            before.StartedFrom ?? new StartingState(StartingStateKind.File));
        await abouts.SaveAsync(about);
        return TypedResults.Ok(about);
    }

    private static async Task<IResult> ImportScenarioAsync(string picture, HttpContext http, Actors actors, PictureDirectory pictures, ExerciseScenarios scenarios, TimeProvider clock)
    {
        var actor = actors.Of(http.User)!;
        if (Domain.Picture.Access.CheckExerciseControl(actor, picture) is { } refused)
            return Results.Problem(CommandResponses.Problem(refused));
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        var type = http.Request.ContentType ?? "";
        if (!type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) && !type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase))
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Fel innehållstyp", "Skicka scenariot som CSV med Content-Type: text/csv.");
        if (http.Request.ContentLength > MaxScenarioBytes)
            return Problem(StatusCodes.Status413PayloadTooLarge, "Filen är för stor", $"En scenariofil är högst {MaxScenarioBytes / 1024} kB.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxScenarioBytes;

        string text;
        try
        {
            using var reader = new StreamReader(http.Request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            text = await reader.ReadToEndAsync(http.RequestAborted);
        }
        catch (DecoderFallbackException)
        {
            return Problem(StatusCodes.Status400BadRequest, "Filen kan inte läsas in", "Filen är inte UTF-8. Spara den i kalkylprogrammet som \"CSV UTF-8\". Ingenting ändrades.");
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "Filen är för stor", $"En scenariofil är högst {MaxScenarioBytes / 1024} kB.");
        }

        var read = MselCsv.Parse(text, await scenarios.TargetsAsync(picture));
        if (read.ToRefusal() is { } wrong)
        {
            var problemDetails = CommandResponses.Problem(wrong);
            problemDetails.Title = "Scenariot kan inte läsas in";
            problemDetails.Extensions["rows"] = read.Errors.Select(e => new { row = e.Row, column = e.Column, message = e.Message }).ToArray();
            return Results.Problem(problemDetails);
        }
        var scenario = new ExerciseScenario(picture, read.Injects, clock.GetUtcNow(), actor.Name);
        await scenarios.SaveAsync(scenario);
        return TypedResults.Ok(new ScenarioImported(picture, read.Injects.Count,
            read.Injects.Count == 0 ? TimeSpan.Zero : read.Injects.Max(i => i.At),
            read.Injects.Select(i => i.Objective).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()));
    }

    private static async Task<IResult> GetScenarioAsync(string picture, HttpContext http, Actors actors, PictureDirectory pictures, ExerciseScenarios scenarios)
    {
        if (Domain.Picture.Access.CheckExerciseControl(actors.Of(http.User)!, picture) is { } refused)
            return Results.Problem(CommandResponses.Problem(refused));
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        return TypedResults.Ok(await scenarios.GetAsync(picture) ?? new ExerciseScenario(picture, [], default, ""));
    }

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}

/// <summary>An exercise's description: its name, what it is about, its planned start and the participants invited by role.</summary>
public sealed record DescribeExercise(string? Name, string? Description = null, DateTimeOffset? StartsAt = null, IReadOnlyList<Invitation>? Participants = null);

/// <summary>A scenario read in: how many inspel, the last one's scenario time and the exercise objectives they test.</summary>
public sealed record ScenarioImported(string Picture, int Injects, TimeSpan LastAt, IReadOnlyList<string> Objectives);
