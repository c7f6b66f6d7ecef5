using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
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
        points.MapCreate<RegisterSafetyPointRequest>("", "Registrera en trygghetspunkt");
        points.MapCommand<UpdateSafetyPointDetails>("PATCH", "/{id}", "Ändra en trygghetspunkts uppgifter");
        points.MapCommand<ChangeSafetyPointStatus>("POST", "/{id}/status", "Flytta en trygghetspunkt i dess livscykel");
        points.MapCommand<SetSafetyPointCapabilities>("PUT", "/{id}/capabilities", "Ange vad punkten erbjuder");
        points.MapCommand<ReportSafetyPointResources>("PUT", "/{id}/resources", "Rapportera punktens resurser");
        points.MapCommand<ReportSafetyPointVisitors>("PUT", "/{id}/visitors", "Rapportera antal besökare");
        points.MapCommand<ReportSafetyPointCondition>("POST", "/{id}/condition", "Rapportera punktens läge: ström, värme, vatten, kommunikation, platser, tillgänglighet, bemanning");

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

        pictures.MapGroup("/resolutions").MapCreate<RecordResolutionRequest>("", "För in ett beslut i beslutsloggen (en rättelse pekar på beslutet den rättar)");
        var assignments = pictures.MapGroup("/assignments");
        assignments.MapCreate<SendAssignmentRequest>("", "Ge ett uppdrag");
        assignments.MapCommand<AcknowledgeAssignment>("POST", "/{id}/acknowledge", "Kvittera ett uppdrag (mottagaren)");
        assignments.MapCommand<StartAssignment>("POST", "/{id}/start", "Påbörja ett uppdrag (mottagaren)");
        assignments.MapCommand<CompleteAssignment>("POST", "/{id}/complete", "Rapportera ett uppdrag klart (mottagaren)");
        assignments.MapCommand<DeclineAssignment>("POST", "/{id}/decline", "Rapportera att ett uppdrag inte kan utföras, och varför (mottagaren)");
        assignments.MapCommand<CancelAssignment>("POST", "/{id}/cancel", "Återkalla ett uppdrag (avsändaren)");

        var reports = pictures.MapGroup("/reports");
        reports.MapCommand<SubmitSituationReport>("POST", "/{id}", "Skicka en lägesrapport (id: district-…, sector-… eller body-…), med eller utan begäran");
        reports.MapCommand<CorrectSituationReport>("POST", "/{id}/corrections", "Rätta den senaste lägesrapporten: en ny version som säger varför");
        var requests = pictures.MapGroup("/report-requests");
        requests.MapCreate<RequestSituationReportRequest>("", "Begär lägesrapporter av namngivna mottagare till en tidsfrist");
        requests.MapCommand<ReadReportRequest>("POST", "/{id}/read", "Markera en begäran som läst (mottagaren)");
        var rosters = pictures.MapGroup("/duty-rosters");
        rosters.MapCommand<Domain.Duty.PlanDutyRoster>("PUT", "/{id}", "Lägg ett beredskapsschema (tib, tib-reserv, district-<område>, sector-<sektor>): pass utan glapp och överlapp");
        rosters.MapCommand<Domain.Duty.HandOverDuty>("POST", "/{id}/hand-over", "Lämna över beredskapen nu till en annan person");
        pictures.MapGroup("/resources").MapCreate<RegisterResourceRequest>("", "Registrera en resurs (reservkraft, vattentank, bränsle, personal, FRG, ordningsvakter) vid sitt förråd (central krisledning)");
        var resourceRequests = pictures.MapGroup("/resource-requests");
        resourceRequests.MapCreate<RequestResourceRequest>("", "Begär en resurs till en trygghetspunkt (EDXL-RM RequestResource): slag eller namngiven resurs, antal, när den behövs och varför");
        resourceRequests.MapCommand<Domain.Resources.CommitResource>("POST", "/{id}/commit", "Tilldela resurser till en begäran (EDXL-RM CommitResource, central krisledning)");
        resourceRequests.MapCommand<Domain.Resources.DeclineResourceRequest>("POST", "/{id}/decline", "Avslå en begäran, och varför (central krisledning)");
        resourceRequests.MapCommand<Domain.Resources.DeliverResource>("POST", "/{id}/deliver", "Kvittera att resurserna levererats till punkten");
        resourceRequests.MapCommand<Domain.Resources.ReleaseResource>("POST", "/{id}/release", "Frisläpp resurserna: punkten behöver dem inte längre (EDXL-RM RequestReturn)");
        resourceRequests.MapCommand<Domain.Resources.ReturnResource>("POST", "/{id}/return", "Resurserna är tillbaka vid sina förråd (central krisledning)");
        pictures.MapGroup("/alerts").MapCommand<Domain.Alerts.AcknowledgeAlert>("POST", "/{id}/acknowledge", "Kvittera ett larm (bara den som larmet gått till)");
        var triage = pictures.MapGroup("/alerts");
        triage.MapCommand<Domain.Alerts.AcceptAlert>("POST", "/{id}/accept", "Ta in ett larm utifrån (CAP) i lägesbilden: dess område blir ett varningsområde på kartan; reason är en kort kommentar (TiB, central krisledning)");
        triage.MapCommand<Domain.Alerts.ForwardAlert>("POST", "/{id}/forward", "Vidarebefordra ett larm utifrån till ett stadsdelsområdes eller krisledningsorgans beredskap: den som är i tjänst där får larmet (TiB, central krisledning)");
        triage.MapCommand<Domain.Alerts.DismissAlert>("POST", "/{id}/dismiss", "Avfärda ett larm utifrån; reason (varför) krävs (TiB, central krisledning)");
        resourceRequests.MapCommand<Domain.Resources.WithdrawResourceRequest>("POST", "/{id}/withdraw", "Återkalla en egen begäran före leveransen, och varför; en tilldelad resurs blir ledig igen");
        // An exercise's run (one per exercise picture) and its inkorg; exercise control's, never the live picture's.
        var exercise = pictures.MapGroup("/exercise");
        const string run = Domain.Exercises.ExerciseRunRules.Id;
        exercise.MapCommand<Domain.Exercises.StartExercise>("POST", "/start", "Starta övningen: scenariotiden börjar på 0 och går 1–10 gånger verklig tid (övningsledningen)", run);
        exercise.MapCommand<Domain.Exercises.PauseExercise>("POST", "/pause", "Pausa övningen: scenariotiden och alla väntande inspel står still (övningsledningen)", run);
        exercise.MapCommand<Domain.Exercises.ResumeExercise>("POST", "/resume", "Fortsätt en pausad övning (övningsledningen)", run);
        exercise.MapCommand<Domain.Exercises.ChangeExerciseSpeed>("PUT", "/speed", "Ändra övningens fart, 1–10 gånger verklig tid (övningsledningen)", run);
        exercise.MapCommand<Domain.Exercises.StopExercise>("POST", "/stop", "Avsluta övningen (övningsledningen)", run);
        exercise.MapCommand<Domain.Exercises.SkipInject>("POST", "/skip", "Hoppa över ett inspel (övningsledningen)", run);
        exercise.MapCommand<Domain.Exercises.DelayInject>("POST", "/delay", "Skjut upp ett inspel ett antal scenariominuter (övningsledningen)", run);
        exercise.MapCommand<Domain.Exercises.SendInject>("POST", "/send", "Skicka ett inspel nu, för hand (övningsledningen)", run);
        var messages = pictures.MapGroup("/messages");
        messages.MapCreate<PostMessageRequest>("", "Motspel: skicka ett meddelande som en extern aktör (SOS Alarm, Ellevio, Polisen …) till en inkorg (övningsledningen)");
        messages.MapCommand<Domain.Exercises.ReadMessage>("POST", "/{id}/read", "Markera ett meddelande i inkorgen som läst (mottagaren)");
        // An exercise's evaluation (one per exercise picture): exercise control's and the evaluators', never the participants'.
        var evaluation = pictures.MapGroup("/evaluation");
        const string evaluated = Domain.Exercises.EvaluationRules.Id;
        evaluation.MapCommand<Domain.Exercises.NoteObservation>("POST", "/observations", "Notera en observation med scenariotiden, valfritt om ett inspel och ett övningsmål (övningsledningen och utvärderarna)", evaluated);
        evaluation.MapCommand<Domain.Exercises.RateObjective>("POST", "/ratings", "Bedöm ett övningsmål i fyra nivåer med en kommentar; en senare bedömning ersätter den tidigare (övningsledningen och utvärderarna)", evaluated);
        evaluation.MapCommand<Domain.Exercises.RecordImprovement>("POST", "/improvements", "För in en förbättringsåtgärd: vad och vem som äger den (övningsledningen och utvärderarna)", evaluated);
        return app;
    }

    /// <summary>A route that creates a thing: the new thing's id is in the body, since it does not exist yet.</summary>
    private static void MapCreate<TRequest>(this RouteGroupBuilder group, string pattern, string summary) where TRequest : class, ICreateRequest =>
        group.MapPost(pattern, async (HttpContext http, string picture, CommandBus bus, Actors actors, PictureDirectory pictures) =>
            {
                if (!await pictures.ExistsAsync(picture))
                    return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
                var (command, problem) = await CommandBody.ReadAsync<TRequest>(http);
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
            .Accepts<TRequest>("application/json")
            .Produces<CommandAccepted>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <param name="target">The entity of a route without an id: one thing per picture (the city when not given).</param>
    private static void MapCommand<TCommand>(this RouteGroupBuilder group, string method, string pattern, string summary, string target = CityRules.Id) where TCommand : Command =>
        group.MapMethods(pattern, [method], async (HttpContext http, string picture, CommandBus bus, Actors actors, PictureDirectory pictures) =>
            {
                if (!await pictures.ExistsAsync(picture))
                    return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
                var (command, problem) = await CommandBody.ReadAsync<TCommand>(http);
                if (problem is not null)
                    return problem;
                // The city and an exercise's run are one thing per picture; every other route names its entity.
                var entity = http.GetRouteValue("id") as string ?? target;
                var (commandId, keyProblem) = CommandResponses.CommandIdOf(http);
                if (keyProblem is not null)
                    return keyProblem;
                var result = await bus.SendAsync(picture, entity, command!, actors.Of(http.User)!, commandId);
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

/// <summary>A request that creates a thing and names its id.</summary>
public interface ICreateRequest
{
    string? Id { get; }
    Command ToCommand();
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
    ResidentInfo? ResidentInfo = null) : ICreateRequest
{
    Command ICreateRequest.ToCommand() => ToCommand();

    public RegisterSafetyPoint ToCommand() =>
        new(District, Name, Address, Position, Tier, Capacity, Capabilities, BackupPower, Example, ResidentInfo) { Reason = Reason, Internal = Internal };
}

/// <summary>A beslut for the beslutslogg; the client names its id (e.g. <c>b-</c> and a random part), so a retry records it once.</summary>
public sealed record RecordResolutionRequest(
    string? Id,
    string? Title,
    string? Text,
    Mandate? Mandate,
    string? DecidedBy,
    ResolutionBasis? Basis,
    string? Scope = null,
    string? District = null,
    string? Affected = null,
    DateTimeOffset? ValidUntil = null,
    string? CommunicatedTo = null,
    ResolutionKind? ResolutionKind = null,
    string? Corrects = null,
    string? Reason = null,
    bool Internal = false) : ICreateRequest
{
    public Command ToCommand() =>
        new RecordResolution(Title, Text, Mandate, DecidedBy, Basis, Scope, District, Affected, ValidUntil, CommunicatedTo, ResolutionKind, Corrects) { Reason = Reason, Internal = Internal };
}

/// <summary>An uppdrag to give; the client names its id (e.g. <c>u-</c> and a random part), so a retry gives it once.</summary>
public sealed record SendAssignmentRequest(
    string? Id,
    string? Title,
    string? Instructions,
    Assignee? To,
    DateTimeOffset? Due,
    string? ReportBack = null,
    string? District = null,
    string? FromResolution = null,
    string? Reason = null,
    bool Internal = false) : ICreateRequest
{
    public Command ToCommand() =>
        new SendAssignment(Title, Instructions, To, Due, ReportBack, District, FromResolution) { Reason = Reason, Internal = Internal };
}

/// <summary>A begäran om lägesrapport; the client names its id (e.g. <c>r-</c> and a random part), so a retry asks once.</summary>
public sealed record RequestSituationReportRequest(
    string? Id,
    string? Title,
    System.Collections.Immutable.ImmutableArray<string>? Recipients,
    DateTimeOffset? Deadline,
    System.Collections.Immutable.ImmutableArray<string>? Questions = null,
    string? Reason = null,
    bool Internal = false) : ICreateRequest
{
    public Command ToCommand() => new RequestSituationReport(Title, Recipients, Deadline, Questions) { Reason = Reason, Internal = Internal };
}

/// <summary>Motspel to an inkorg; the client names its id (e.g. <c>motspel-</c> and a random part), so a retry posts it once.</summary>
public sealed record PostMessageRequest(
    string? Id,
    string? From,
    Assignee? To,
    string? Text,
    string? Reason = null,
    bool Internal = false) : ICreateRequest
{
    public Command ToCommand() => new Domain.Exercises.PostMessage(From, To, Text) { Reason = Reason, Internal = Internal };
}
