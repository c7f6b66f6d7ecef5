using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resources;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Resources;

/// <summary>Follow-up of resource begäran per district and the sequence number it was computed at.</summary>
public sealed record ResourceFollowUpFigures(long Seq, IReadOnlyList<ResourceFollowUpRow> Rows);

/// <summary>Time from begäran to commitment per district (median), computed by <see cref="ResourceFollowUp"/> from the picture as this node holds it.</summary>
public static class ResourceFollowUpApi
{
    public static IEndpointRouteBuilder MapResourceFollowUpApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pictures/{picture}/resource-requests/follow-up", GetAsync)
            .RequireExistingPicture()
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithTags("Lägesbild")
            .Produces<ResourceFollowUpFigures>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Uppföljning av resursbegäran per stadsdelsområde: öppna, obesvarade, mediantid från begäran till tilldelning");
        return app;
    }

    private static async Task<IResult> GetAsync(string picture, PictureFeeds feeds)
    {
        var (seq, states) = (await feeds.GetAsync(picture)).States();
        var prefix = $"{EntityKind.ResourceRequest}/";
        var requests = states
            .Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(s => JsonSerializer.Deserialize<ResourceRequestState>(s.Value, DomainJson.Options)!);
        return TypedResults.Ok(new ResourceFollowUpFigures(seq, ResourceFollowUp.Compute(requests)));
    }
}
