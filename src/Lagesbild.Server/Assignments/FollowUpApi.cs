using System.Text.Json;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Assignments;

/// <summary>The follow-up figures of a picture's uppdrag and the sequence number they were computed at.</summary>
public sealed record AssignmentFollowUpFigures(long Seq, DateTimeOffset At, IReadOnlyList<FollowUpRow> Rows);

/// <summary>Follow-up of uppdrag per district and sector, computed by <see cref="AssignmentFollowUp"/> from the picture as this node holds it.</summary>
public static class FollowUpApi
{
    public static IEndpointRouteBuilder MapFollowUpApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pictures/{picture}/assignments/follow-up", GetAsync)
            .RequireExistingPicture()
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithTags("Lägesbild")
            .Produces<AssignmentFollowUpFigures>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Uppföljning av uppdrag per stadsdelsområde och sektor: öppna, försenade, ej kvitterade, mediantid till kvittens och till klart");
        return app;
    }

    private static async Task<IResult> GetAsync(string picture, PictureFeeds feeds, TimeProvider clock)
    {
        var (seq, states) = (await feeds.GetAsync(picture)).States();
        var prefix = $"{EntityKind.Assignment}/";
        var assignments = states
            .Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => JsonSerializer.Deserialize<AssignmentState>(s.Value, DomainJson.Options)!);
        return TypedResults.Ok(new AssignmentFollowUpFigures(seq, clock.GetUtcNow(), AssignmentFollowUp.Compute(assignments, clock)));
    }
}
