using Lagesbild.Domain.Picture;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Access;

/// <summary>Who am I, the development sign-in, and what the public may see.</summary>
public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Inloggning");

        api.MapGet("/me", (HttpContext http, Actors actors) => actors.Of(http.User) is { } actor
                ? Results.Ok(new { actor.Name, actor.Role, actor.District, actor.Sector })
                : Results.Problem(statusCode: 401, title: "Inte inloggad", detail: "Logga in för att se lägesbilden."))
            .AllowAnonymous()
            .WithSummary("Den inloggade personen och dess roll");

        if (app.ServiceProvider.GetService<DevSignIn>() is { } dev)
        {
            api.MapGet("/dev/users", () => TypedResults.Ok(DevSignIn.Users))
                .AllowAnonymous()
                .WithSummary("Utvecklingsinloggningens demoanvändare (finns inte i Production)");
            api.MapPost("/dev/sign-in", Results<Ok<DevToken>, ProblemHttpResult> (DevSignInRequest request, IOptions<AuthOptions> options) =>
                {
                    var user = DevSignIn.Users.FirstOrDefault(u => u.Id == request.User);
                    if (user is null)
                        return TypedResults.Problem(statusCode: 400, title: "Okänd användare",
                            detail: $"Demoanvändarna är: {string.Join(", ", DevSignIn.Users.Select(u => u.Id))}.");
                    var lifetime = TimeSpan.FromHours(12);
                    return TypedResults.Ok(new DevToken(dev.Issue(user, options.Value.Audience, lifetime), user, DateTimeOffset.UtcNow + lifetime));
                })
                .AllowAnonymous()
                .WithSummary("Logga in som en demoanvändare (bara utvecklingsläge)");
        }
        return app;
    }
}

public sealed record DevSignInRequest(string? User);
public sealed record DevToken(string Token, DevUser User, DateTimeOffset Expires);
