using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Assignments;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Assignments;

/// <summary>An event kind's default task list as the page offers it.</summary>
public sealed record TaskListKind(string Id, string Name, IReadOnlyList<TaskTemplate> Tasks);

/// <summary>A task list given: the uppdrag it made, in the loggbok's order.</summary>
public sealed record TaskListIssued(string Id, string EventKind, IReadOnlyList<TaskListAssignment> Assignments);

/// <summary>
/// Default task lists per kind of event (<see cref="TaskListOptions"/>): what there is, and central krisledning giving
/// one to the affected districts. Each task is sent as an ordinary uppdrag through the <see cref="CommandBus"/>, so it is
/// ordered, attributed and live like any other.
/// </summary>
public static class TaskListApi
{
    public static IEndpointRouteBuilder MapTaskListApi(this IEndpointRouteBuilder app)
    {
        // The lists are the city's configuration, the same for every picture.
        app.MapGet("/api/task-lists", (IOptions<TaskListOptions> options) =>
                TypedResults.Ok(options.Value.Templates().Select(kind => new TaskListKind(kind.Key, options.Value.EventKinds[kind.Key].Name, kind.Value)).ToArray()))
            .WithTags("Lägesbild")
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithSummary("Uppdragslistorna per händelsetyp, som staden konfigurerat dem");
        app.MapPost("/api/pictures/{picture}/task-lists", IssueAsync)
            .WithTags("Ändringar")
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .Accepts<IssueTaskList>("application/json")
            .Produces<TaskListIssued>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Ge en händelsetyps uppdragslista till de berörda stadsdelsområdena (central krisledning); varje uppdrag blir ett vanligt uppdrag");
        return app;
    }

    private static async Task<IResult> IssueAsync(string picture, HttpContext http, CommandBus bus, Actors actors, PictureDirectory pictures,
        IOptions<TaskListOptions> options, IAreas areas, PictureStore store, TimeProvider clock)
    {
        var actor = actors.Of(http.User)!;
        if (Domain.Picture.Access.CheckTaskList(actor) is { } forbidden)
            return Results.Problem(CommandResponses.Problem(forbidden));
        if (!await pictures.ExistsAsync(picture))
            return Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture)));
        var (issue, problem) = await CommandBody.ReadAsync<IssueTaskList>(http);
        if (problem is not null)
            return problem;
        var (commandId, keyProblem) = CommandResponses.CommandIdOf(http);
        if (keyProblem is not null)
            return keyProblem;
        var lists = options.Value.Templates();
        var (tasks, refusal) = await TaskListIssue.PlanAsync(store, picture, issue!, lists, areas, clock.GetUtcNow(), commandId);
        if (refusal is not null)
            return Results.Problem(CommandResponses.Problem(refusal));

        // Sent again with the same Idempotency-Key, a list cut off halfway gives only what is missing.
        var (sent, stopped) = await TaskListIssue.SendAsync(bus, picture, tasks, actor, commandId);
        if (stopped is not null)
        {
            var answer = CommandResponses.Problem(stopped);
            answer.Detail = sent.Count == 0 ? stopped.Reason : $"{stopped.Reason} ({sent.Count} av listans {tasks.Count} uppdrag gavs innan: {string.Join(", ", sent.Select(s => s.Id))}.)";
            return Results.Problem(answer);
        }
        return TypedResults.Ok(new TaskListIssued(issue!.Id!, issue.EventKind!, sent));
    }
}
