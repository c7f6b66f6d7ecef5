using Microsoft.AspNetCore.Http.Features;

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
    /// Browsers cannot set a WebSocket's headers, so SignalR's clients send the token in the query
    /// (<c>access_token</c>). Once the connection is up and the token checked, the request's target,
    /// its query string and the parsed query would each keep a copy of it for the hours the socket
    /// stays open. None of them is read again.
    /// </summary>
    public static void ForgetQuery(this HttpContext http)
    {
        if (http.Features.Get<IHttpRequestFeature>() is not { } request)
            return;
        request.QueryString = "";
        request.RawTarget = request.Path;
        http.Features.Set<IQueryFeature>(new QueryFeature(http.Features));
    }
}
