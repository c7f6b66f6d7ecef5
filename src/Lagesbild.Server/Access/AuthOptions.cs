using System.ComponentModel.DataAnnotations;

namespace Lagesbild.Server.Access;

/// <summary>
/// Sign-in: the city's OpenID Connect provider; or, only when asked for by name in the
/// Development environment, a built-in development sign-in with named demo users.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Lagesbild:Auth";

    /// <summary>The identity provider's issuer URL (OpenID Connect discovery).</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "lagesbild";

    /// <summary>The map page's client id at the identity provider (a public client using PKCE).</summary>
    public string ClientId { get; set; } = "lagesbild-web";

    /// <summary>The scopes the map page asks for; offline_access gives it a refresh token, to renew without a new sign-in.</summary>
    public string Scope { get; set; } = "openid profile offline_access lagesbild";

    /// <summary>Allow plain-HTTP metadata (only for a provider on loopback in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that carries the person's display name.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>The claim that carries the role; its values are mapped through <see cref="RoleMap"/>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The provider's role values → Lagesbild's roles (central, district, sector, tib, observer, public, chair, evaluator).</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new()
    {
        ["central"] = "central", ["district"] = "district", ["sector"] = "sector",
        ["tib"] = "tib", ["observer"] = "observer", ["public"] = "public",
        // Krisledningsnämndens ordförande; the deputy the city names gets the same provider role.
        ["chair"] = "chair",
        // An exercise's evaluator (utvärderare).
        ["evaluator"] = "evaluator",
    };

    /// <summary>The claim that names a district operator's stadsdelsområde.</summary>
    public string DistrictClaim { get; set; } = "district";

    /// <summary>The claim that names a sector lead's sector.</summary>
    public string SectorClaim { get; set; } = "sector";

    /// <summary>
    /// Offer the development sign-in, where anyone may sign in as any demo user, central
    /// krisledning included. Off by default; honoured only in the Development environment and
    /// only without an <see cref="Authority"/> (see <see cref="StartRefusal"/>).
    /// </summary>
    public bool DevelopmentSignIn { get; set; }

    /// <summary>
    /// The development sign-in's HMAC key, base64 of at least 32 bytes. Empty: a key generated
    /// once and kept in the data directory, readable by its owner only. Several nodes on one
    /// Redis must all be given the same key, or each accepts only the tokens it issued.
    /// </summary>
    public string? DevelopmentSigningKey { get; set; }

    /// <summary>
    /// How long a development sign-in token lives, and how long a revocation of a person is
    /// kept: set it to at least the longest lifetime of the provider's access tokens.
    /// </summary>
    [Range(1, 24 * 7)]
    public int TokenLifetimeHours { get; set; } = 12;

    public TimeSpan TokenLifetime => TimeSpan.FromHours(TokenLifetimeHours);

    public bool UsesProvider => !string.IsNullOrWhiteSpace(Authority);

    /// <summary>
    /// Why the server must not start with this sign-in, or null. The development sign-in hands
    /// anyone a central krisledning token, so it runs only when asked for by name, in
    /// Development; and a server with no way to sign in at all says what to set instead of
    /// starting one that nobody can use.
    /// </summary>
    public string? StartRefusal(IHostEnvironment environment)
    {
        const string provider = "Ange stadens identitetsleverantör med Lagesbild:Auth:Authority (och Lagesbild:Auth:Audience).";
        if (UsesProvider && DevelopmentSignIn)
            return "Lagesbild startar inte: både Lagesbild:Auth:Authority och Lagesbild:Auth:DevelopmentSignIn=true är angivna. " +
                "Välj en av dem: stadens identitetsleverantör eller utvecklingsinloggningen.";
        if (UsesProvider)
            return ProviderRefusal();
        if (!DevelopmentSignIn)
            return $"Lagesbild startar inte: ingen inloggning är vald. {provider} " +
                "Bara för utveckling på den egna datorn: ASPNETCORE_ENVIRONMENT=Development och Lagesbild:Auth:DevelopmentSignIn=true.";
        if (!environment.IsDevelopment())
            return "Lagesbild startar inte: utvecklingsinloggningen (Lagesbild:Auth:DevelopmentSignIn=true) låter vem som helst logga in " +
                $"som central krisledning och finns bara i miljön Development, inte i {environment.EnvironmentName}. {provider}";
        if (!string.IsNullOrEmpty(DevelopmentSigningKey) && DevSignIn.ParseKey(DevelopmentSigningKey) is null)
            return "Lagesbild startar inte: Lagesbild:Auth:DevelopmentSigningKey ska vara base64 för minst 32 byte.";
        return null;
    }

    /// <summary>
    /// What is wrong with the provider's settings as written. Only what can be known without the
    /// network refuses a start: a provider that does not answer, or answers as another issuer, may
    /// be down or changing for a while, and the crisis picture must not wait for it (ProviderDiscovery).
    /// </summary>
    private string? ProviderRefusal()
    {
        const string refused = "Lagesbild startar inte: ";
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http") || authority.Query.Length > 0)
            return refused + $"Lagesbild:Auth:Authority ska vara identitetsleverantörens adress (issuer), t.ex. https://login.stockholm.se/, inte \"{Authority}\".";
        if (authority.Scheme == "http" && RequireHttpsMetadata)
            return refused + $"Lagesbild:Auth:Authority {Authority} använder http. Identitetsleverantören ska nås med https; " +
                "bara för en leverantör på den egna datorn i test: Lagesbild:Auth:RequireHttpsMetadata=false.";
        if (string.IsNullOrWhiteSpace(Audience))
            return refused + "Lagesbild:Auth:Audience saknas: ange den publik (aud) som identitetsleverantören utfärdar Lagesbilds token för, t.ex. lagesbild.";
        if (string.IsNullOrWhiteSpace(ClientId))
            return refused + "Lagesbild:Auth:ClientId saknas: ange kartsidans klient-id hos identitetsleverantören, t.ex. lagesbild-web.";
        if (string.IsNullOrWhiteSpace(Scope) || !Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("openid"))
            return refused + "Lagesbild:Auth:Scope ska innehålla openid, t.ex. \"openid profile offline_access lagesbild\".";
        return null;
    }

    /// <summary>The issuer as tokens may name it: providers differ on the trailing slash, the configured value does too.</summary>
    public string[] ValidIssuers => Authority is null ? [] : [Authority.TrimEnd('/'), Authority.TrimEnd('/') + "/"];
}
