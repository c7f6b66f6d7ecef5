using System.Security.Claims;
using System.Threading.RateLimiting;
using Lagesbild.Domain.Picture;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Lagesbild.Server.Access;

/// <summary>Sign-in, the read policies, rate limits and CORS, wired in one place.</summary>
public static class AccessExtensions
{
    /// <summary>Everyone who may see the operators' picture: all roles but the public.</summary>
    public const string OperatorsPicture = "operators-picture";
    /// <summary>Central krisledning only (creating exercises).</summary>
    public const string CentralOnly = "central";

    /// <summary>
    /// Wires sign-in and access. Program.cs has already refused to start with a sign-in that
    /// was not chosen deliberately (<see cref="AuthOptions.StartRefusal"/>).
    /// </summary>
    public static WebApplicationBuilder AddLagesbildAccess(this WebApplicationBuilder builder, Task<IConnectionMultiplexer> store, string dataDirectory)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HardeningOptions>().BindConfiguration(HardeningOptions.Section)
            .Validate(h => h.TrustedProxyNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Lagesbild:Hardening:TrustedProxyNetworks: ange nät i CIDR-form, t.ex. 172.16.0.0/12.")
            .ValidateOnStart();
        var auth = builder.Configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var hardening = builder.Configuration.GetSection(HardeningOptions.Section).Get<HardeningOptions>() ?? new HardeningOptions();
        var dev = auth.DevelopmentSignIn && !auth.UsesProvider ? DevSignIn.Create(auth, dataDirectory, store) : null;
        if (dev is not null)
            builder.Services.AddSingleton(dev);
        builder.Services.AddSingleton<ProviderDiscovery>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProviderDiscovery>());
        builder.Services.AddSingleton<Actors>();
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TokenRevocations>(sp, store));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TokenRevocations>());
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessProblems>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.Audience = auth.Audience;
            // Nothing reads the token back from the sign-in's properties, and a live map's request
            // would keep it there for the hours its WebSocket stays open.
            options.SaveToken = false;
            if (dev is null)
            {
                options.Authority = auth.Authority;
                options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                // After a failed metadata fetch (the provider down for a moment) try again within
                // half a minute, not the default five.
                options.RefreshInterval = TimeSpan.FromSeconds(30);
            }
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuers = dev is null ? auth.ValidIssuers : [DevSignIn.Issuer],
                ValidateAudience = true,
                ValidAudience = auth.Audience,
                ValidateLifetime = true,
                ClockSkew = TokenRevocations.ClockSkew,
                IssuerSigningKey = dev?.Key,
                ValidateIssuerSigningKey = true,
                NameClaimType = auth.NameClaim,
                RoleClaimType = auth.RoleClaim,
            };
            string[] usedClaims = ["sub", "jti", "iat", "exp", auth.NameClaim, auth.RoleClaim, auth.DistrictClaim, auth.SectorClaim];
            options.Events = new JwtBearerEvents
            {
                // Browsers cannot set headers on a WebSocket; SignalR sends the token in the query.
                OnMessageReceived = context =>
                {
                    if (context.HttpContext.Request.Path.StartsWithSegments("/hubs") && TokenInQuery(context.Request.QueryString) is { } token)
                        context.Token = token;
                    return Task.CompletedTask;
                },
                // A token from the provider that does not fit the settings is a misconfiguration
                // that refuses everyone: say which setting, not only IDX codes at debug level.
                OnAuthenticationFailed = context =>
                {
                    var said = context.Exception switch
                    {
                        SecurityTokenInvalidAudienceException => $"it was not issued for Lagesbild:Auth:Audience ({auth.Audience})",
                        SecurityTokenInvalidIssuerException i => $"its issuer ({i.InvalidIssuer}) is not Lagesbild:Auth:Authority ({auth.Authority})",
                        _ => null,
                    };
                    if (said is not null)
                        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccessExtensions).FullName!)
                            .LogWarning("A token was refused because {Reason}: check the identity provider's client and Lagesbild's settings", said);
                    return Task.CompletedTask;
                },
                // A live connection keeps its principal for hours. The validated token (its raw
                // text, parsed header and payload) would stay reachable through it, several KB
                // per open map; keep only the claims the server reads (jti, iat and exp name the
                // token and its life for sign-out and revocation). Their types are this list's
                // strings, not the ones read out of each token: one copy for every connection.
                OnTokenValidated = context =>
                {
                    if (context.Principal?.Identity is ClaimsIdentity identity)
                    {
                        var kept = identity.Claims
                            .Select(c => (Type: Array.Find(usedClaims, t => t == c.Type), c.Value))
                            .Where(c => c.Type is not null)
                            .Select(c => new Claim(c.Type!, c.Value));
                        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(kept, identity.AuthenticationType, auth.NameClaim, auth.RoleClaim));
                        if (context.HttpContext.RequestServices.GetRequiredService<TokenRevocations>().IsRevoked(context.Principal))
                            context.Fail(new SecurityTokenRevokedException());
                    }
                    return Task.CompletedTask;
                },
            };
        });

        // Every policy, the default one too, wants exactly one role (Actors.RoleOf).
        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser()
                .AddRequirements(new RoleRequirement(auth, _ => true, "")).Build())
            .AddPolicy(OperatorsPicture, policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleRequirement(auth,
                Roles.SeesOperatorsPicture, "Allmänheten ser bara den publika vyn: /api/public/safety-points.")))
            .AddPolicy(CentralOnly, policy => policy.RequireAuthenticatedUser().AddRequirements(new RoleRequirement(auth,
                role => role == Roles.Central, "Bara central krisledning får göra detta.")));

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Bucket("user:" + (http.User.FindFirstValue("sub") ?? "anonymous"),
                    http.User.Identity?.IsAuthenticated == true ? hardening.RequestsPerSecondPerUser : int.MaxValue / 20)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => Bucket("address:" + http.Connection.RemoteIpAddress,
                    hardening.RequestsPerSecondPerAddress)));
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails { Status = 429, Title = "För många förfrågningar", Detail = "Vänta en sekund och försök igen." },
                });
            };
        });
        builder.Services.AddSingleton(sp => new HubRateLimit(hardening.RequestsPerSecondPerUser));

        builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(options =>
        {
            // ASP.NET Core believes loopback by default, and with no known proxy at all it
            // believes everyone: any process on the host could name any address and dodge the
            // per-address limit. Forwarded headers are read only from the configured proxies.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in hardening.TrustedProxyNetworks)
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            options.ForwardedHeaders = hardening.TrustedProxyNetworks.Length > 0
                ? Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto
                : Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.None;
        });
        builder.Services.AddCors(options => options.AddDefaultPolicy(policy =>
        {
            // Closed unless the city names the origins that may call the API.
            if (hardening.CorsOrigins.Length > 0)
                policy.WithOrigins(hardening.CorsOrigins).AllowAnyHeader().AllowAnyMethod().AllowCredentials();
        }));
        return builder;
    }

    /// <summary>
    /// The one <c>access_token</c> in the query, or null (none, or more than one). Read from the
    /// query string without parsing the whole query into a dictionary, which every live map's
    /// sign-in did only to find this one value (BENCHMARKS.md, H43).
    /// </summary>
    public static string? TokenInQuery(QueryString query)
    {
        string? token = null;
        foreach (var pair in new Microsoft.AspNetCore.WebUtilities.QueryStringEnumerable(query.Value))
        {
            if (!pair.DecodeName().Span.SequenceEqual("access_token"))
                continue;
            if (token is not null)
                return null;
            token = pair.DecodeValue().ToString();
        }
        return token;
    }

    private static RateLimitPartition<string> Bucket(string key, int perSecond) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond * 10,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
