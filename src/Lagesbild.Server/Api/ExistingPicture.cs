namespace Lagesbild.Server.Api;

/// <summary>
/// Reads of a picture's current state answer 404 in one place when the picture does not exist,
/// before the handler asks the picture's feed (which would create it empty).
/// </summary>
public static class ExistingPicture
{
    public static TBuilder RequireExistingPicture<TBuilder>(this TBuilder route) where TBuilder : IEndpointConventionBuilder => route.AddEndpointFilter(async (context, next) =>
    {
        var picture = context.HttpContext.Request.RouteValues["picture"] as string;
        var pictures = context.HttpContext.RequestServices.GetRequiredService<PictureDirectory>();
        return await pictures.ExistsAsync(picture)
            ? await next(context)
            : Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture ?? "")));
    });
}
