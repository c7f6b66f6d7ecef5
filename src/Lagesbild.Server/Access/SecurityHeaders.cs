using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Lagesbild.Server.Geo;
using Lagesbild.Server.Live;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Access;

/// <summary>
/// Security headers on every answer but a WebSocket handshake. The Content-Security-Policy
/// allows only the server's own scripts, styles and connections (the map's symbols are data:
/// images; a configured base map's origin is added), which is all the map page needs. Answers
/// to a signed-in request, and the sign-in's answer, are never cached.
/// </summary>
public sealed partial class SecurityHeaders(RequestDelegate next, IOptions<MapOptions> map, IOptions<AuthOptions> auth, IWebHostEnvironment environment)
{
    /// <summary>The API reference (Scalar), the one page that needs an exception: see <see cref="Policy"/>.</summary>
    public const string ReferencePath = "/api/reference";

    private readonly string _policy = PagePolicy(map.Value, auth.Value, environment);

    // Scalar's page starts itself with an inline module script (its options, written by the
    // package) and its components set inline styles. Its own script is served from here (the
    // bundle inside the package), so the exception is inline code and styles on that path alone;
    // every other answer keeps 'self' only.
    private readonly string _referencePolicy = Policy(map.Value, auth.Value, inlineScriptAndStyle: true);

    private static string Policy(MapOptions map, AuthOptions auth, bool inlineScriptAndStyle, string scriptHashes = "") => string.Join("; ",
        "default-src 'self'",
        inlineScriptAndStyle ? "script-src 'self' 'unsafe-inline'" : $"script-src 'self'{scriptHashes}",
        inlineScriptAndStyle ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
        $"img-src 'self' data: blob:{BasemapOrigin(map)}",
        // The page talks to the city's identity provider itself (discovery, token endpoint).
        $"connect-src 'self'{AuthorityOrigin(auth)}",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'");

    public Task InvokeAsync(HttpContext http)
    {
        // A WebSocket handshake answer is no document a browser renders or frames, and the
        // headers would be kept in memory for the whole life of the live connection.
        if (http.IsWebSocketHandshake())
            return next(http);
        var headers = http.Response.Headers;
        Write(headers, http.Request.Path.StartsWithSegments(ReferencePath) ? _referencePolicy : _policy, http.Request.IsHttps);
        // What a signed-in person was shown, and a token itself, must not stay in a browser's or
        // a proxy's cache for the next user of the machine.
        if (CarriesToken(http.Request) || http.Request.Path.StartsWithSegments("/api/dev/sign-in"))
            headers.CacheControl = "no-store";
        return next(http);
    }

    /// <summary>The page's policy, with its boot script's hash: every answer's but the API reference's.</summary>
    public static string PagePolicy(MapOptions map, AuthOptions auth, IWebHostEnvironment environment) =>
        Policy(map, auth, inlineScriptAndStyle: false, PageBootScripts(environment.WebRootFileProvider));

    /// <summary>The headers every answer carries; also written by <see cref="PublicListFront"/>, which answers before this middleware.</summary>
    public static void Write(IHeaderDictionary headers, string policy, bool https)
    {
        headers.ContentSecurityPolicy = policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        if (https)
            headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
    }

    /// <summary>
    /// The page's boot script (Lagesbild.Web's boot/inline.ts, written into the page by its build),
    /// allowed by its hash: it starts the sign-in and the live connection before the script files
    /// have arrived, and no other inline script runs.
    /// </summary>
    private static string PageBootScripts(IFileProvider webRoot)
    {
        var hashes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var page in (string[])["index.html", "public.html"])
        {
            var file = webRoot.GetFileInfo(page);
            if (!file.Exists)
                continue;
            using var reader = new StreamReader(file.CreateReadStream());
            foreach (Match script in InlineScript().Matches(reader.ReadToEnd()))
                hashes.Add($" 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script.Groups[1].Value)))}'");
        }
        return string.Concat(hashes);
    }

    // A script element with no attributes: the page's own inline script (those with src= are files, allowed by 'self').
    [GeneratedRegex(@"<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    private static bool CarriesToken(HttpRequest request) =>
        request.Headers.Authorization.Count > 0 || request.Query.ContainsKey("access_token");

    private static string AuthorityOrigin(AuthOptions auth) =>
        !auth.DevelopmentSignIn && Uri.TryCreate(auth.Authority, UriKind.Absolute, out var uri) ? " " + uri.GetLeftPart(UriPartial.Authority) : "";

    private static string BasemapOrigin(MapOptions map) =>
        map.Basemap is { Url: { } url } && Uri.TryCreate(url.Replace("{", "").Replace("}", ""), UriKind.Absolute, out var uri)
            ? " " + uri.GetLeftPart(UriPartial.Authority)
            : "";
}
