using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Access;
using Microsoft.AspNetCore.Mvc;

namespace Lagesbild.Server.Api;

/// <summary>Every change to a picture over HTTP. Each route is one command; they all take the same path.</summary>
public static class CommandsApi
{
    public static IEndpointRouteBuilder MapCommandsApi(this IEndpointRouteBuilder app)
    {
        var pictures = app.MapGroup("/api/pictures/{picture}").WithTags("Ändringar").RequireAuthorization();

        var points = pictures.MapGroup("/safety-points");
        points.MapRegister("", "Registrera en trygghetspunkt");
        points.MapCommand<UpdateSafetyPointDetails>("PATCH", "/{id}", "Ändra en trygghetspunkts uppgifter");
        points.MapCommand<ChangeSafetyPointStatus>("POST", "/{id}/status", "Flytta en trygghetspunkt i dess livscykel");
        points.MapCommand<SetSafetyPointCapabilities>("PUT", "/{id}/capabilities", "Ange vad punkten erbjuder");
        points.MapCommand<ReportSafetyPointResources>("PUT", "/{id}/resources", "Rapportera punktens resurser");
        points.MapCommand<ReportSafetyPointVisitors>("PUT", "/{id}/visitors", "Rapportera antal besökare");

        var districts = pictures.MapGroup("/districts");
        districts.MapCommand<SetDistrictSituation>("PUT", "/{id}/situation", "Ange läget i ett stadsdelsområde");
        districts.MapCommand<ChangeDistrictLocalLevel>("PUT", "/{id}/local-level", "Ändra stadsdelsområdets lokala nivå");
        districts.MapCommand<SetDistrictDutyContact>("PUT", "/{id}/duty-contact", "Ange kontakt för stadsdelsområdets beredskap");

        var sectors = pictures.MapGroup("/sectors");
        sectors.MapCommand<ReportSectorStatus>("PUT", "/{id}/status", "Rapportera en sektors läge");
        sectors.MapCommand<SetSectorLead>("PUT", "/{id}/lead", "Ange vem som leder sektorn");

        var bodies = pictures.MapGroup("/crisis-bodies");
        bodies.MapCommand<ChangeCrisisBodyActivation>("PUT", "/{id}/activation", "Aktivera eller avveckla ett krisledningsorgan");
        bodies.MapCommand<SetCrisisBodyOnDuty>("PUT", "/{id}/on-duty", "Ange vem som är i tjänst");
        bodies.MapCommand<ScheduleCrisisBodyMeeting>("PUT", "/{id}/next-meeting", "Planera nästa möte");

        pictures.MapCommand<ChangeCityLevel>("PUT", "/city/level", "Besluta om stadens nivå i eskaleringstrappan");
        return app;
    }

    private static void MapRegister(this RouteGroupBuilder group, string pattern, string summary) =>
        group.MapPost(pattern, async (HttpContext http, string picture, CommandBus bus, Actors actors, PictureDirectory pictures) =>
            {
                if (!await pictures.ExistsAsync(picture))
                    return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
                var (command, problem) = await CommandBody.ReadAsync<RegisterSafetyPointRequest>(http);
                if (problem is not null)
                    return problem;
                var id = command!.Id;
                if (id is null)
                    return Results.Problem(CommandResponses.Problem(Refusal.Invalid(new Dictionary<string, string[]> { ["id"] = ["Måste anges."] })));
                var (commandId, keyProblem) = CommandResponses.CommandIdOf(http);
                if (keyProblem is not null)
                    return keyProblem;
                var result = await bus.SendAsync(picture, id, command.ToCommand(), actors.Of(http.User)!, commandId);
                return CommandResponses.ToHttp(result);
            })
            .WithSummary(summary)
            .Accepts<RegisterSafetyPointRequest>("application/json")
            .Produces<CommandAccepted>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static void MapCommand<TCommand>(this RouteGroupBuilder group, string method, string pattern, string summary) where TCommand : Command =>
        group.MapMethods(pattern, [method], async (HttpContext http, string picture, CommandBus bus, Actors actors, PictureDirectory pictures) =>
            {
                if (!await pictures.ExistsAsync(picture))
                    return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
                var (command, problem) = await CommandBody.ReadAsync<TCommand>(http);
                if (problem is not null)
                    return problem;
                // The city is one thing per picture; every other route names its entity.
                var target = http.GetRouteValue("id") as string ?? CityRules.Id;
                var (commandId, keyProblem) = CommandResponses.CommandIdOf(http);
                if (keyProblem is not null)
                    return keyProblem;
                var result = await bus.SendAsync(picture, target, command!, actors.Of(http.User)!, commandId);
                return CommandResponses.ToHttp(result);
            })
            .WithName(typeof(TCommand).Name)
            .WithSummary(summary)
            .Accepts<TCommand>("application/json")
            .Produces<CommandAccepted>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}

/// <summary>Registering names the new point's id in the body, since it does not exist yet.</summary>
public sealed record RegisterSafetyPointRequest(
    string? Id,
    string? District,
    string? Name,
    string? Address,
    GeoPosition? Position,
    int? Tier,
    int? Capacity,
    System.Collections.Immutable.ImmutableArray<Capability>? Capabilities,
    bool? BackupPower,
    bool? Example,
    string? Reason,
    bool Internal = false,
    ResidentInfo? ResidentInfo = null)
{
    public RegisterSafetyPoint ToCommand() =>
        new(District, Name, Address, Position, Tier, Capacity, Capabilities, BackupPower, Example, ResidentInfo) { Reason = Reason, Internal = Internal };
}
