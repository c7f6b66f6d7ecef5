using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;

namespace Lagesbild.Server.Assignments;

/// <summary>Search in the beslutslogg and the uppdrag (issue 15, item 4): text, who, district and time range, a page at a time.</summary>
public static class ResolutionSearchApi
{
    public static IEndpointRouteBuilder MapResolutionSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pictures/{picture}/resolutions/search", SearchAsync)
            .RequireExistingPicture()
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithTags("Lägesbild")
            .Produces<ResolutionHits>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Sök beslut och uppdrag: text i rubriken, vem (beslutsfattare, avsändare eller mottagare), stadsdelsområde, tidsintervall; nyaste först, sida för sida");
        return app;
    }

    private static async Task<IResult> SearchAsync(string picture, string? text, string? who, string? district, DateTimeOffset? from, DateTimeOffset? to,
        int? offset, int? limit, ResolutionIndex index, IAreas areas)
    {
        var query = new ResolutionQuery(Blank(text), Blank(who), Blank(district), from, to, offset ?? 0, limit ?? ResolutionSearch.DefaultLimit);
        if (ResolutionSearch.Check(query, areas) is { } refusal)
            return Results.Problem(CommandResponses.Problem(refusal));
        var (seq, hits) = await index.HitsAsync(picture);
        return TypedResults.Ok(ResolutionSearch.Find(seq, hits, query));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
