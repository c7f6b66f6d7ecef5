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
}
