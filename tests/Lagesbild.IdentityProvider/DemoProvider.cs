using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Lagesbild.IdentityProvider;

/// <summary>One token request the provider answered: its grant type and when.</summary>
public sealed record TokenRequest(string GrantType, DateTimeOffset At);

/// <summary>Tokens as the token endpoint hands them out.</summary>
public sealed record IssuedTokens(string AccessToken, string? RefreshToken, string? IdToken, int ExpiresIn);

/// <summary>
/// A real OpenID Connect provider on loopback (OpenIddict, in-memory store): the public client
/// <c>lagesbild-web</c> signs in with the authorization code flow and PKCE, gets JWT access tokens
/// for Lagesbild's audience with the claims it reads (sub, name, roles, district, sector), renews
/// them with refresh tokens (offline_access) and ends the session at the end-session endpoint.
/// The login page is a form where one picks a demo person; the provider remembers the choice in
/// a cookie, as a real provider keeps its own session. It counts what it was asked, for tests.
/// </summary>
public sealed class DemoProvider : IAsyncDisposable
{
    public const string PersonField = "demo_person";
    private const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;

    private readonly WebApplication _app;
    private readonly DemoProviderSettings _settings;
    private int _loginForms;
    private int _endSessions;

    private DemoProvider(WebApplication app, DemoProviderSettings settings)
    {
        _app = app;
        _settings = settings;
    }

    /// <summary>The issuer as it names itself, with its trailing slash: Lagesbild's Lagesbild:Auth:Authority.</summary>
    public Uri Authority => _settings.IssuerUri;

    /// <summary>Where it actually listens (differs from <see cref="Authority"/> only when an issuer is set on purpose).</summary>
    public Uri Address => new($"http://127.0.0.1:{_settings.Port}/");

    /// <summary>Every token request answered, in order.</summary>
    public ConcurrentQueue<TokenRequest> TokenRequests { get; } = new();

    /// <summary>How often the login form was shown: each one is an interactive sign-in.</summary>
    public int LoginFormsShown => Volatile.Read(ref _loginForms);

    public int EndSessions => Volatile.Read(ref _endSessions);

    public static async Task<DemoProvider> StartAsync(DemoProviderSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var database = "demo-provider-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<ProviderStore>(options =>
        {
            options.UseInMemoryDatabase(database);
            options.UseOpenIddict();
        });
        builder.Services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, options => options.Cookie.Name = "demo-provider");
        builder.Services.AddAuthorization();
        var origins = settings.RedirectUris.Select(u => new Uri(u).GetLeftPart(UriPartial.Authority)).Distinct().ToArray();
        // The page fetches discovery and calls the token and revocation endpoints from its own origin.
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy => policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod()));
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ProviderStore>())
            .AddServer(server =>
            {
                server.SetIssuer(settings.IssuerUri)
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout")
                    .SetRevocationEndpointUris("connect/revoke");
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowRefreshTokenFlow();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess, settings.Audience);
                server.SetAccessTokenLifetime(TimeSpan.FromSeconds(settings.AccessTokenLifetimeSeconds));
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                // Lagesbild reads the access token itself: a signed JWT, not an encrypted one.
                server.DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        var app = builder.Build();
        var provider = new DemoProvider(app, settings);
        app.UseCors();
        app.Use(provider.CountTokenRequests);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMethods("connect/authorize", ["GET", "POST"], (Delegate)provider.Authorize);
        app.MapMethods("connect/logout", ["GET", "POST"], (Delegate)provider.EndSession);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var client = new OpenIddictApplicationDescriptor
            {
                ClientId = settings.ClientId,
                ClientType = ClientTypes.Public,
                DisplayName = "Lägesbild",
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                    Permissions.Endpoints.EndSession, Permissions.Endpoints.Revocation,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                    Permissions.ResponseTypes.Code, Permissions.Scopes.Profile, Permissions.Prefixes.Scope + settings.Audience,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            };
            foreach (var uri in settings.RedirectUris)
            {
                client.RedirectUris.Add(new Uri(uri));
                client.PostLogoutRedirectUris.Add(new Uri(uri));
            }
            await applications.CreateAsync(client);
        }
        await app.StartAsync();
        return provider;
    }

    private async Task CountTokenRequests(HttpContext http, Func<Task> next)
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path == "/connect/token" && http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync();
            TokenRequests.Enqueue(new TokenRequest(form[Parameters.GrantType].ToString(), DateTimeOffset.UtcNow));
        }
        await next();
    }

    private async Task<IResult> Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var session = await http.AuthenticateAsync(CookieScheme);
        var person = DemoPeople.Find(session.Principal?.FindFirstValue(Claims.Subject));
        if (person is null && http.Request.HasFormContentType && DemoPeople.Find((await http.Request.ReadFormAsync())[PersonField]) is { } chosen)
        {
            person = chosen;
            await http.SignInAsync(CookieScheme, new ClaimsPrincipal(new ClaimsIdentity([new Claim(Claims.Subject, chosen.Id)], CookieScheme)));
        }
        if (person is null)
        {
            Interlocked.Increment(ref _loginForms);
            return Results.Content(LoginForm(request), "text/html; charset=utf-8");
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, "roles");
        identity.SetClaim(Claims.Subject, person.Subject)
            .SetClaim(Claims.Name, person.Name)
            .SetClaim("roles", person.Role)
            .SetClaim("district", person.District)
            .SetClaim("sector", person.Sector);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(_settings.Audience);
        identity.SetDestinations(claim => claim.Type is Claims.Subject or Claims.Name
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private async Task<IResult> EndSession(HttpContext http)
    {
        Interlocked.Increment(ref _endSessions);
        await http.SignOutAsync(CookieScheme);
        // OpenIddict sends the browser on to the validated post_logout_redirect_uri.
        return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    /// <summary>The login page: the authorization request's own parameters, posted back with the chosen person.</summary>
    private static string LoginForm(OpenIddictRequest request)
    {
        var html = new StringBuilder("<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Demo-inloggning</title></head><body>");
        html.Append("<h1>Demo-inloggning</h1><form method=\"post\" action=\"/connect/authorize\">");
        foreach (var (name, value) in request.GetParameters())
            html.Append($"<input type=\"hidden\" name=\"{HtmlEncoder.Default.Encode(name)}\" value=\"{HtmlEncoder.Default.Encode(value.ToString() ?? "")}\">");
        foreach (var person in DemoPeople.All)
            html.Append($"<p><button type=\"submit\" name=\"{PersonField}\" value=\"{person.Id}\">{HtmlEncoder.Default.Encode(person.Name)}</button></p>");
        return html.Append("</form></body></html>").ToString();
    }

    /// <summary>
    /// Signs a demo person in without a browser, as the page does it (code + PKCE as the public
    /// client, the first registered redirect URI), for tests that need the provider's tokens.
    /// </summary>
    public async Task<IssuedTokens> SignInAsync(string person, string scope = "openid profile offline_access lagesbild")
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Address };
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var redirect = _settings.RedirectUris[0];
        var answer = await http.PostAsync("connect/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [Parameters.ResponseType] = ResponseTypes.Code,
            [Parameters.ClientId] = _settings.ClientId,
            [Parameters.RedirectUri] = redirect,
            [Parameters.Scope] = scope,
            [Parameters.State] = "test",
            [Parameters.CodeChallenge] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            [Parameters.CodeChallengeMethod] = CodeChallengeMethods.Sha256,
            [PersonField] = person,
        }));
        if (answer.StatusCode != HttpStatusCode.Redirect || answer.Headers.Location is not { } location)
            throw new InvalidOperationException($"The provider did not answer with a code: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        var code = System.Web.HttpUtility.ParseQueryString(location.Query)[Parameters.Code]
            ?? throw new InvalidOperationException($"No code in {location}");
        return await TokenAsync(new()
        {
            [Parameters.GrantType] = GrantTypes.AuthorizationCode,
            [Parameters.Code] = code,
            [Parameters.RedirectUri] = redirect,
            [Parameters.ClientId] = _settings.ClientId,
            [Parameters.CodeVerifier] = verifier,
        });
    }

    /// <summary>Renews with a refresh token, as the page does; throws when the provider refuses it.</summary>
    public Task<IssuedTokens> RefreshAsync(string refreshToken) => TokenAsync(new()
    {
        [Parameters.GrantType] = GrantTypes.RefreshToken,
        [Parameters.RefreshToken] = refreshToken,
        [Parameters.ClientId] = _settings.ClientId,
    });

    private async Task<IssuedTokens> TokenAsync(Dictionary<string, string> form)
    {
        using var http = new HttpClient { BaseAddress = Address };
        var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"The token endpoint answered {(int)response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        string? Text(string name) => json.TryGetProperty(name, out var value) ? value.GetString() : null;
        return new IssuedTokens(Text("access_token")!, Text("refresh_token"), Text("id_token"), json.GetProperty("expires_in").GetInt32());
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The provider's OpenIddict store (clients, authorizations, tokens), in memory.</summary>
public sealed class ProviderStore(DbContextOptions<ProviderStore> options) : DbContext(options);
