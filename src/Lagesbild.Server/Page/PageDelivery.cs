using System.IO.Compression;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Lagesbild.Server.Page;

/// <summary>
/// How the page and its data travel to a phone on a weak mobile link: compressed (Brotli, gzip
/// for a browser without it), versioned files (a content hash in the name) kept by the browser
/// for a year, everything else revalidated with its ETag, so a repeat visit moves almost nothing.
/// </summary>
public static partial class PageDelivery
{
    private const string Year = "public, max-age=31536000, immutable";
    private const string Revalidate = "no-cache";

    /// <summary>Compression of the answers not compressed when the page was built (JSON, GeoJSON, the page itself).</summary>
    public static void AddPageDelivery(this IServiceCollection services)
    {
        services.AddResponseCompression(options =>
        {
            options.EnableForHttps = true;
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes,
                "application/geo+json", "application/problem+json", "image/svg+xml", PrecompressedFiles.ManifestType];
        });
        // Fastest (Brotli quality 1) would leave a fifth more on the wire; quality 4 costs well under a millisecond on these answers.
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Optimal);
    }

    /// <summary>
    /// Compresses every answer but the live connection's own (a WebSocket or event stream held
    /// open for hours would keep the compressor's state as long) and the sign-in's, which carries
    /// a token (compression beside reflected input would let it be guessed, BREACH).
    /// </summary>
    public static void UsePageCompression(this WebApplication app) =>
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/hubs") && !http.Request.Path.StartsWithSegments("/api/dev/sign-in"),
            compressed => compressed.UseResponseCompression());

    /// <summary>The page (wwwroot, with its files compressed at build time) and the city's map files (maps/, at /maps).</summary>
    public static void UsePageFiles(this WebApplication app, string mapsDirectory)
    {
        var webRoot = app.Environment.WebRootFileProvider;
        // The residents' public view is the same script, in a page that does not name the operators' chunk (build.mjs).
        app.Use((http, next) =>
        {
            if (http.Request.Path == "/" && http.Request.Query["view"] == "public" && webRoot.GetFileInfo("public.html").Exists)
                http.Request.Path = "/public.html";
            return next(http);
        });
        app.UseDefaultFiles();
        app.Use((http, next) =>
        {
            PrecompressedFiles.Choose(http, webRoot);
            return next(http);
        });
        app.UseStaticFiles(new StaticFileOptions { ContentTypeProvider = new PrecompressedFiles(), OnPrepareResponse = Prepare });
        var geoJson = new FileExtensionContentTypeProvider();
        geoJson.Mappings[".geojson"] = "application/geo+json";
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.GetFullPath(mapsDirectory)),
            RequestPath = "/maps",
            ContentTypeProvider = geoJson,
            OnPrepareResponse = Prepare,
        });
    }

    /// <summary>True for a file whose name carries its content's hash (the page build's <c>name-HASH.ext</c>).</summary>
    public static bool IsVersioned(string fileName) => VersionedName().IsMatch(fileName);

    private static void Prepare(StaticFileResponseContext file)
    {
        var headers = file.Context.Response.Headers;
        headers.CacheControl = IsVersioned(file.File.Name) ? Year : Revalidate;
        if (PrecompressedFiles.EncodingOf(file.File.Name) is { } encoding)
        {
            headers.ContentEncoding = encoding;
            headers.Vary = HeaderNames.AcceptEncoding;
        }
    }

    // esbuild's [hash]: eight characters of A-Z and 0-9.
    [GeneratedRegex(@"-[A-Z0-9]{8}\.(js|css)(\.br|\.gz)?$")]
    private static partial Regex VersionedName();
}
