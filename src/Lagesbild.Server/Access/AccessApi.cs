using Lagesbild.Domain.Picture;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Access;

/// <summary>Who am I, the development sign-in, signing out and revoking a person's sign-ins.</summary>
public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Inloggning");

        api.MapGet("/me", Me)
            .AllowAnonymous()
            .WithSummary("Den inloggade personen och dess roll")
            .Produces<Actor>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/sign-out", async (HttpContext http, TokenRevocations revocations) =>
            {
                await revocations.SignOutAsync(http.User);
                return TypedResults.NoContent();
            })
            .RequireAuthorization()
            .WithSummary("Logga ut: den token som skickas med gäller inte längre, på någon nod")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        api.MapPost("/revocations", RevokePerson)
            .RequireAuthorization(AccessExtensions.CentralOnly)
            .WithSummary("Återkalla alla inloggningar en person har fått hittills (central krisledning)")
            .Accepts<RevokePersonRequest>("application/json")
            .Produces<PersonRevoked>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

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
                    var lifetime = options.Value.TokenLifetime;
                    return TypedResults.Ok(new DevToken(dev.Issue(user, options.Value.Audience, lifetime), user, DateTimeOffset.UtcNow + lifetime));
                })
                .AllowAnonymous()
                .WithSummary("Logga in som en demoanvändare (bara utvecklingsläge)")
                .ProducesProblem(StatusCodes.Status400BadRequest);
        }
        return app;
    }

    private static IResult Me(HttpContext http, Actors actors, IOptions<AuthOptions> options)
    {
        if (http.User.Identity?.IsAuthenticated != true)
            return Results.Problem(statusCode: 401, title: "Inte inloggad", detail: "Logga in för att se lägesbilden.");
        return actors.Of(http.User) is { } actor
            ? Results.Ok(actor)
            : Results.Problem(statusCode: 403, title: "Åtkomst nekad", detail: Actors.SeveralRoles(http.User, options.Value));
    }

    private static async Task<IResult> RevokePerson(RevokePersonRequest request, HttpContext http, TokenRevocations revocations, Actors actors, ILogger<TokenRevocations> log)
    {
        var person = request.Person;
        string? problem = person switch
        {
            null or "" => "Måste anges: personens id (claim sub), t.ex. dev:sara.",
            { Length: > 256 } => "Får vara högst 256 tecken.",
            _ when person.Any(char.IsControl) => "Får inte innehålla styrtecken.",
            _ => null,
        };
        if (problem is not null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["person"] = [problem] }, title: "Ogiltig begäran");
        var before = await revocations.RevokePersonAsync(person!);
        log.LogWarning("{Actor} revoked every sign-in of {Person} issued until {Before}", actors.Of(http.User)!.Name, person, before);
        return Results.Ok(new PersonRevoked(person!, before));
    }
}

/// <summary>Whose sign-ins to revoke: the person's id as the token's <c>sub</c> claim has it.</summary>
public sealed record RevokePersonRequest(string? Person);
/// <summary>Every token of <c>Person</c> issued up to and including <c>RevokedBefore</c> is refused from now on.</summary>
public sealed record PersonRevoked(string Person, DateTimeOffset RevokedBefore);

public sealed record DevSignInRequest(string? User);
public sealed record DevToken(string Token, DevUser User, DateTimeOffset Expires);
