using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Lagesbild.Server.Attention;

/// <summary>The attention panel's question: which points need attention now, and why.</summary>
public static class AttentionApi
{
    public static IEndpointRouteBuilder MapAttentionApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pictures/{picture}/attention", Attention)
            .RequireExistingPicture()
            .RequireAuthorization(AccessExtensions.OperatorsPicture)
            .WithTags("Lägesbild")
            .WithSummary("Trygghetspunkter som behöver uppmärksamhet nu, och varför");
        return app;
    }

    private static async Task<Results<Ok<AttentionAnswer>, ProblemHttpResult>> Attention(string picture, AttentionBoard board) =>
        TypedResults.Ok(await board.JudgeAsync(picture));
}
