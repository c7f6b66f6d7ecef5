using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Access;
using Lagesbild.Server.Exercises;
using Lagesbild.Server.Geo;
using Lagesbild.Server.Live;
using Lagesbild.Server.Seeding;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Api;

/// <summary>Reading a picture: its snapshot, its loggbok, its digest; and the map's configuration.</summary>
public static class PicturesApi
{
    public static IEndpointRouteBuilder MapPicturesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Lägesbild");

        api.MapGet("/pictures", async (PictureStore store) => TypedResults.Ok(await store.ListPicturesAsync()))
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithSummary("Lägesbilderna: live och övningar");

        api.MapPost("/pictures", async Task<IResult> (HttpContext http, PictureSeeder seeder, PictureDirectory pictures, ExerciseAbouts abouts, Actors actors, IAreas areas, TimeProvider clock) =>
            {
                var (request, problem) = await CommandBody.ReadAsync<CreateExercise>(http);
                if (problem is not null)
                    return problem;
                if (!PictureId.IsValid(request!.Id) || !PictureId.IsExercise(request.Id!))
                {
                    return Results.Problem(CommandResponses.Problem(Refusal.Invalid(new Dictionary<string, string[]>
                    {
                        ["id"] = ["En övning har ett id som börjar med ex-, följt av små bokstäver, siffror och bindestreck."],
                    })));
                }
                var description = new DescribeExercise(request.Name, request.Description, request.StartsAt, request.Participants);
                if (ExerciseApi.Check(description, areas) is { } unnamed)
                    return Results.Problem(CommandResponses.Problem(unnamed));
                // Its name is kept before its picture exists, so the exercise is never shown without it.
                if (!await pictures.ExistsAsync(request.Id))
                    await abouts.SaveAsync(ExerciseApi.About(request.Id!, description, clock.GetUtcNow(), actors.Of(http.User)?.Name, new StartingState(StartingStateKind.Configuration)));
                if (!await seeder.CreateExerciseAsync(request.Id!))
                    return Results.Problem(CommandResponses.Problem(Refusal.Conflict($"Övningen '{request.Id}' finns redan.")));
                return TypedResults.Created($"/api/pictures/{request.Id}/snapshot", new PictureCreated(request.Id!));
            })
            .Accepts<CreateExercise>("application/json")
            .Produces<PictureCreated>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(AccessExtensions.CentralOnly)
            .WithSummary("Skapa en övning: en egen lägesbild som aldrig rör den riktiga");

        var picture = api.MapGroup("/pictures/{picture}").RequireAuthorization(AccessExtensions.OperatorsPicture);

        picture.MapGet("/snapshot", async Task<IResult> (string picture, PictureFeeds feeds, PictureDirectory pictures) =>
            {
                if (await Missing(picture, pictures) is { } missing)
                    return missing;
                var (_, json) = (await feeds.GetAsync(picture)).Snapshot();
                return Results.Bytes(json, "application/json");
            })
            .WritesSchema("Snapshot")
            .WithSummary("Hela lägesbilden och vilket sekvensnummer den motsvarar");

        picture.MapGet("/digest", async Task<IResult> (string picture, long? atSeq, PictureStore store, PictureDirectory pictures) =>
            {
                if (await Missing(picture, pictures) is { } missing)
                    return missing;
                if (atSeq is { } at)
                {
                    var keys = new PictureKeys(picture);
                    var now = await store.CurrentSeqAsync(keys);
                    if (at < 0 || at > now)
                        return TypedResults.Problem(statusCode: 400, title: "Uppgifterna är inte giltiga.", detail: $"atSeq måste vara mellan 0 och lägesbildens nummer nu ({now}).");
                    return TypedResults.Ok(new PictureDigest(at, await PictureHistory.DigestAtAsync(store, keys, at)));
                }
                var (seq, _, records) = await store.ReadPictureAsync(new PictureKeys(picture));
                var digest = PictureFeed.Digest(records.Select(record =>
                {
                    using var document = JsonDocument.Parse(record);
                    var root = document.RootElement;
                    return ($"{root.GetProperty("kind").GetString()}/{root.GetProperty("id").GetString()}",
                        root.GetProperty("seq").GetInt64(), root.GetProperty("state").GetRawText());
                }));
                return TypedResults.Ok(new PictureDigest(seq, digest));
            })
            .WithSummary("Ett fingeravtryck av lägesbilden i lagret, för att jämföra med en klients; med atSeq: av lägesbilden som den var vid det numret (ur loggboken)");

        picture.MapGet("/about", async Task<IResult> (string picture, ExerciseAbouts abouts, PictureDirectory pictures) =>
                await Missing(picture, pictures) ?? TypedResults.Ok(await abouts.GetAsync(picture)))
            .Produces<ExerciseAbout>()
            .WithSummary("Övningens namn och beskrivning, som de gavs när den skapades (null för den levande lägesbilden)");

        picture.MapGet("/loggbok/verify", async Task<IResult> (string picture, PictureStore store, PictureDirectory pictures) =>
                await Missing(picture, pictures) ?? TypedResults.Ok(await LoggbokChain.VerifyAsync(store, new PictureKeys(picture))))
            .Produces<ChainReport>()
            .WithSummary("Kontrollera loggboken mot dess hashkedja: att ingen post har ändrats, tagits bort eller flyttats");

        picture.MapGet("/log", async Task<IResult> (string picture, string? entity, string? district, DateTimeOffset? from, DateTimeOffset? to,
                long? afterSeq, int? limit, PictureStore store, PictureDirectory pictures, HttpContext http, Actors actors) =>
            {
                if (await Missing(picture, pictures) is { } missing)
                    return missing;
                var problems = new Problems();
                EntityRef? entityRef = null;
                if (entity is not null)
                {
                    if (EntityRef.TryParse(entity, out var parsed))
                        entityRef = parsed;
                    else
                        problems.Add("entity", "Ange som Typ/id, t.ex. SafetyPoint/farsta-storforsplan.");
                }
                if (district is not null && !EntityRef.IsValidId(district))
                    problems.Add("district", "Ogiltigt id.");
                problems.Range("limit", limit, 1, 1000, required: false);
                if (afterSeq < 0)
                    problems.Add("afterSeq", "Får inte vara negativt.");
                if (from > to)
                    problems.Add("from", "Måste ligga före to.");
                if (problems.ToRefusal() is { } refusal)
                    return Results.Problem(CommandResponses.Problem(refusal));

                var entries = await store.QueryAsync(new PictureKeys(picture), new LogQuery(entityRef, district, from, to, afterSeq ?? 0, limit ?? 100));
                // Partners do not see notes the city marked internal; only exercise control and evaluators read an evaluation.
                var readership = Redaction.ReadershipOf(actors.Of(http.User)!.Role);
                entries = entries.Select(entry => Redaction.For(readership, entry)).ToArray();
                return Results.Text($"{{\"entries\":[{string.Join(',', entries)}]}}", "application/json");
            })
            .WritesSchema("LogPage")
            .WithSummary("Loggboken: per entitet, stadsdelsområde, tidsintervall; aldrig omskriven");

        api.MapGet("/config", (IOptions<MapOptions> map, IOptions<AuthOptions> auth) => TypedResults.Ok(new ClientConfig(
                map.Value.Basemap,
                auth.Value.DevelopmentSignIn
                    ? new ClientAuth("development", null, null, null)
                    : new ClientAuth("oidc", auth.Value.Authority, auth.Value.ClientId, auth.Value.Scope))))
            .WithSummary("Kartans inställningar för webbklienten");
        return app;
    }

    private static async Task<IResult?> Missing(string picture, PictureDirectory pictures) =>
        await pictures.ExistsAsync(picture) ? null : Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
}

/// <summary>A new exercise: its id, name and description, its planned start and the participants invited by role.</summary>
public sealed record CreateExercise(string? Id, string? Name, string? Description = null, DateTimeOffset? StartsAt = null, IReadOnlyList<Lagesbild.Domain.Exercises.Invitation>? Participants = null);
public sealed record PictureCreated(string Id);
public sealed record PictureDigest(long Seq, string Digest);
public sealed record ClientConfig(Basemap? Basemap, ClientAuth Auth);

/// <summary>How the map page signs in: the development sign-in, or the city's provider (authorization code + PKCE).</summary>
public sealed record ClientAuth(string Mode, string? Authority, string? ClientId, string? Scope);
