using Lagesbild.Domain.Picture;
using Lagesbild.Server.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// The signed-in person's push subscriptions: her page subscribes when she allows notifications (with the city's VAPID
/// public key from here) and unsubscribes when she turns them off. Alerts to her then also go by web push.
/// </summary>
public static class PushSubscriptionsApi
{
    public static IEndpointRouteBuilder MapPushSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var push = app.MapGroup("/api/push-subscriptions").RequireAuthorization(AccessExtensions.OperatorsPicture).WithTags("Inloggning");
        push.MapGet("/key", GetKey)
            .WithName("GetPushKey")
            .Produces<PushKeyAnswer>()
            .WithSummary("Om web push är på, och i så fall stadens publika VAPID-nyckel för webbläsarens pushprenumeration");
        push.MapPost("", AddAsync)
            .WithName("AddPushSubscription")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Spara den inloggades pushprenumeration (som webbläsaren ger den); larm till henne går då även som web push");
        push.MapDelete("", RemoveAsync)
            .WithName("RemovePushSubscription")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Ta bort den inloggades pushprenumeration (endpoint)");
        return app;
    }

    // Every operator's page asks on every visit: "off" is an answer, not an error (a 404 was one in every console).
    private static IResult GetKey(IOptions<AlertChannelOptions> options) =>
        TypedResults.Ok(options.Value.WebPush is { Enabled: true, PublicKey: { } key } ? new PushKeyAnswer(true, key) : new PushKeyAnswer(false, null));

    private static async Task<IResult> AddAsync(HttpContext http, [FromBody] PushSubscriptionBody? body, PushSubscriptions subscriptions, IOptions<AlertChannelOptions> options)
    {
        if (!options.Value.WebPush.Enabled)
            return Off();
        if (PushSubscriptions.Problem(body) is { } problem)
            return Invalid(problem);
        await subscriptions.AddAsync(http.User.Identity!.Name!, body!);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, [FromBody] PushSubscriptionBody? body, PushSubscriptions subscriptions)
    {
        if (body?.Endpoint is not { Length: > 0 } endpoint)
            return Invalid("endpoint saknas: vilken prenumeration ska tas bort?");
        await subscriptions.RemoveAsync(http.User.Identity!.Name!, endpoint);
        return TypedResults.NoContent();
    }

    private static IResult Off() => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "Web push är avstängt",
        Detail = "Staden har inte slagit på web push (Lagesbild:Alerts:Channels:WebPush); larm syns i sidan, per e-post och webhook.",
    });

    private static IResult Invalid(string what) => Results.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "Pushprenumerationen duger inte",
        Detail = what,
    });
}

/// <summary>Whether web push is on, and then the city's VAPID public key (base64url), the browser's <c>applicationServerKey</c>; null when off.</summary>
public sealed record PushKeyAnswer(bool Enabled, string? PublicKey);
