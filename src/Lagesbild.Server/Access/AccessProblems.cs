using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.Tokens;

namespace Lagesbild.Server.Access;

/// <summary>
/// Every 401 and 403 from an authorization policy carries a ProblemDetails that says, in the
/// person's words, what is wrong: not signed in, signed out, a token that has run out or is
/// not valid, or what the role may not (the failed <see cref="RoleRequirement"/>'s reason).
/// The challenge and the forbid themselves stay the authentication handler's (status,
/// WWW-Authenticate).
/// </summary>
public sealed class AccessProblems(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext http, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        await _default.HandleAsync(next, http, policy, result);
        if (!(result.Challenged || result.Forbidden) || http.Response.HasStarted)
            return;
        var (title, detail) = result.Challenged
            ? NotSignedIn(await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme), http)
            : ("Åtkomst nekad", result.AuthorizationFailure?.FailureReasons.Select(r => r.Message).FirstOrDefault()
                ?? "Din roll ger inte tillgång till detta.");
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = http.Response.StatusCode, Title = title, Detail = detail },
        });
    }

    // The handler keeps its result for the request, so asking again costs nothing.
    private static (string Title, string Detail) NotSignedIn(AuthenticateResult authentication, HttpContext http) => authentication.Failure switch
    {
        SecurityTokenRevokedException => ("Utloggad", "Inloggningen är avslutad: du har loggat ut, eller central krisledning har återkallat den. Logga in igen."),
        SecurityTokenExpiredException => ("Inloggningen har gått ut", "Logga in igen."),
        null when authentication.None && !http.Request.Headers.Authorization.Any() && !http.Request.Query.ContainsKey("access_token") =>
            ("Inte inloggad", "Logga in först: anropet saknar inloggning (en bearer-token)."),
        _ => ("Ogiltig inloggning", "Inloggningen godtogs inte (fel utfärdare, mottagare eller signatur, eller ingen token). Logga in igen."),
    };
}
