namespace Lagesbild.Server.Access;

/// <summary>
/// Sign-in: the city's OpenID Connect provider in production; a built-in development sign-in
/// with named demo users otherwise (never in Production).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Lagesbild:Auth";

    /// <summary>The identity provider's issuer URL (OpenID Connect discovery). Empty = development sign-in.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for.</summary>
    public string Audience { get; set; } = "lagesbild";

    /// <summary>The map page's client id at the identity provider (a public client using PKCE).</summary>
    public string ClientId { get; set; } = "lagesbild-web";

    /// <summary>The scopes the map page asks for.</summary>
    public string Scope { get; set; } = "openid profile lagesbild";

    /// <summary>Allow plain-HTTP metadata (only for a provider on loopback in tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that carries the person's display name.</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>The claim that carries the role; its values are mapped through <see cref="RoleMap"/>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The provider's role values → Lagesbild's roles (central, district, sector, tib, observer, public).</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new()
    {
        ["central"] = "central", ["district"] = "district", ["sector"] = "sector",
        ["tib"] = "tib", ["observer"] = "observer", ["public"] = "public",
    };

    /// <summary>The claim that names a district operator's stadsdelsområde.</summary>
    public string DistrictClaim { get; set; } = "district";

    /// <summary>The claim that names a sector lead's sector.</summary>
    public string SectorClaim { get; set; } = "sector";

    public bool DevelopmentSignIn => string.IsNullOrWhiteSpace(Authority);
}

/// <summary>Rate limits, CORS: the hardening that is configuration.</summary>
public sealed class HardeningOptions
{
    public const string Section = "Lagesbild:Hardening";

    /// <summary>Requests per second one signed-in person may make (sustained); bursts up to 10×.</summary>
    public int RequestsPerSecondPerUser { get; set; } = 20;

    /// <summary>Requests per second from one network address (sustained); bursts up to 10×.</summary>
    public int RequestsPerSecondPerAddress { get; set; } = 50;

    /// <summary>
    /// Networks of the reverse proxies whose X-Forwarded-For/-Proto are believed (CIDR, e.g.
    /// "172.16.0.0/12"), so per-address limits count the real client, not the proxy.
    /// </summary>
    public string[] TrustedProxyNetworks { get; set; } = [];

    /// <summary>Origins allowed to call the API from another site; none by default.</summary>
    public string[] CorsOrigins { get; set; } = [];
}
