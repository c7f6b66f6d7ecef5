namespace Lagesbild.IdentityProvider;

/// <summary>How a demo provider is started: where it listens, whom it trusts, how long its tokens live.</summary>
public sealed class DemoProviderSettings
{
    public const string Section = "DemoProvider";

    public int Port { get; set; } = 5099;

    /// <summary>The issuer it names itself as; empty: http://127.0.0.1:{Port}/ (set another to test an issuer mismatch).</summary>
    public string? Issuer { get; set; }

    /// <summary>The Lagesbild pages that may sign in (the page itself, e.g. http://127.0.0.1:5080/): redirect and post-logout URIs, and CORS origins.</summary>
    public List<string> RedirectUris { get; set; } = ["http://127.0.0.1:5080/", "http://localhost:5080/"];

    public string ClientId { get; set; } = "lagesbild-web";

    /// <summary>The audience (resource) its access tokens are issued for.</summary>
    public string Audience { get; set; } = "lagesbild";

    public int AccessTokenLifetimeSeconds { get; set; } = 3600;

    public Uri IssuerUri => new(string.IsNullOrEmpty(Issuer) ? $"http://127.0.0.1:{Port}/" : Issuer);
}
