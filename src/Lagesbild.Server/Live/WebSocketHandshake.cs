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
}
