using System.Security.Claims;
using Lagesbild.Server.Access;
using Lagesbild.Server.Live;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lagesbild.Server.Tests;

/// <summary>What a live map's request keeps once its WebSocket is up (HubSockets, WebSocketHandshake).</summary>
public sealed class WebSocketHandshakeTests
{
    private const string Token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm5hIn0.c2lnbmF0dXJl";

    [Fact]
    public void Once_the_socket_is_up_the_request_keeps_no_copy_of_the_token_from_its_query()
    {
        var http = new DefaultHttpContext();
        http.Request.Path = "/hubs/picture";
        http.Request.QueryString = new QueryString("?id=abc&access_token=" + Token);
        var request = http.Features.Get<IHttpRequestFeature>()!;
        request.RawTarget = "/hubs/picture?id=abc&access_token=" + Token;
        Assert.Equal(Token, http.Request.Query["access_token"]);

        http.ForgetHandshake();

        Assert.Equal("", http.Request.QueryString.Value ?? "");
        Assert.Empty(http.Request.Query);
        Assert.Equal("/hubs/picture", request.RawTarget);
        Assert.DoesNotContain(Token, http.Request.Path.Value);
    }

    [Fact]
    public void Once_the_socket_is_up_the_request_keeps_neither_its_headers_nor_the_sign_ins_result_but_keeps_the_person()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers["Sec-WebSocket-Key"] = "dGhlIHNhbXBsZSBub25jZQ==";
        http.Request.Headers.Origin = "https://lagesbild.example";
        var person = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "anna")], "Bearer"));
        var ticket = new AuthenticationTicket(person, new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow.AddHours(1) }, "Bearer");
        var signIn = new SignIn { AuthenticateResult = AuthenticateResult.Success(ticket), User = person };
        http.Features.Set<IAuthenticateResultFeature>(signIn);
        http.Features.Set<Microsoft.AspNetCore.Http.Features.Authentication.IHttpAuthenticationFeature>(signIn);
        Assert.Same(person, http.User);

        http.ForgetHandshake();

        Assert.Empty(http.Request.Headers);
        Assert.Null(http.Features.Get<IAuthenticateResultFeature>());
        Assert.Same(person, http.User);
    }

    [Theory]
    [InlineData("?id=abc&access_token=" + Token, Token)]
    [InlineData("?access%5Ftoken=" + Token, Token)]
    [InlineData("?access_token=a%2Bb", "a+b")]
    [InlineData("?id=abc", null)]
    [InlineData("", null)]
    [InlineData("?access_token=one&access_token=two", null)]
    public void A_live_maps_token_is_the_one_access_token_in_its_query(string query, string? token) =>
        Assert.Equal(token, AccessExtensions.TokenInQuery(new QueryString(query.Length == 0 ? null : query)));

    /// <summary>As the authentication middleware leaves it: one object behind both features.</summary>
    private sealed class SignIn : IAuthenticateResultFeature, Microsoft.AspNetCore.Http.Features.Authentication.IHttpAuthenticationFeature
    {
        public AuthenticateResult? AuthenticateResult { get; set; }
        public ClaimsPrincipal? User { get; set; }
    }
}
