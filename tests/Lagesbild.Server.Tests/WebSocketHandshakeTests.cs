using Lagesbild.Server.Live;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lagesbild.Server.Tests;

/// <summary>What a live map's request keeps once its WebSocket is up (HubSockets, WebSocketHandshake).</summary>
public sealed class WebSocketHandshakeTests
{
    [Fact]
    public void Once_the_socket_is_up_the_request_keeps_no_copy_of_the_token_from_its_query()
    {
        const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl";
        var http = new DefaultHttpContext();
        http.Request.Path = "/hubs/picture";
        http.Request.QueryString = new QueryString("?id=abc&access_token=" + Token);
        var request = http.Features.Get<IHttpRequestFeature>()!;
        request.RawTarget = "/hubs/picture?id=abc&access_token=" + Token;
        Assert.Equal(Token, http.Request.Query["access_token"]);

        http.ForgetQuery();

        Assert.Equal("", http.Request.QueryString.Value ?? "");
        Assert.Empty(http.Request.Query);
        Assert.Equal("/hubs/picture", request.RawTarget);
        Assert.DoesNotContain(Token, http.Request.Path.Value);
    }
}
