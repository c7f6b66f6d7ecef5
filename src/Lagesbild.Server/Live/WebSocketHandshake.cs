using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;

namespace Lagesbild.Server.Live;

public static class WebSocketHandshake
{
    /// <summary>
    /// True for a request that asks to become a WebSocket (HTTP/1.1 upgrade or HTTP/2 extended
    /// CONNECT). Known before the WebSocket middleware runs, unlike <c>HttpContext.WebSockets</c>.
    /// </summary>
    public static bool IsWebSocketHandshake(this HttpContext http) =>
        http.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        || http.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    /// <summary>
    /// A live connection is one HTTP request that lasts for hours, and the services its request
    /// resolved (the authentication handler, the authorization services) would live as long.
    /// Once the connection is up they are done: each hub call gets what it needs elsewhere, and
    /// anything that asks the request for services later gets a new scope.
    /// </summary>
    public static ValueTask ReleaseRequestServicesAsync(this HttpContext? http) =>
        http?.Features.Get<IServiceProvidersFeature>() is IAsyncDisposable services ? services.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>
    /// What the upgrade request was, let go of once the socket is up: the request lasts as long
    /// as the socket (hours), and none of it is read again; the connection keeps its principal
    /// itself (<see cref="HubSocket.User"/>).
    /// <list type="bullet">
    /// <item>Browsers cannot set a WebSocket's headers, so SignalR's clients send the token in the
    /// query (<c>access_token</c>): the request's target, its query string and the parsed query
    /// would each keep a copy of it.</item>
    /// <item>The request's headers (the WebSocket key, origin, user agent, cookies).</item>
    /// <item>The sign-in's result: its ticket, properties and their dictionary (BENCHMARKS.md, H43).</item>
    /// </list>
    /// </summary>
    public static void ForgetHandshake(this HttpContext http)
    {
        if (http.Features.Get<IHttpRequestFeature>() is { } request)
        {
            request.QueryString = "";
            request.RawTarget = request.Path;
            http.Features.Set<IQueryFeature>(new QueryFeature(http.Features));
            request.Headers.Clear();
        }
        var user = http.User;
        http.Features.Set<IAuthenticateResultFeature>(null);
        http.Features.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature { User = user });
        // The context caches the features it last read until it reads again: let go of the old ones.
        _ = http.User;
        _ = http.Request.Query;
    }
}
