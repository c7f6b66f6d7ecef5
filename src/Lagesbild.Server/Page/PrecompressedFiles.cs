using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Lagesbild.Server.Page;

/// <summary>
/// The page's scripts and styles as the build compressed them at the highest settings
/// (<c>app-HASH.js.br</c>, <c>.gz</c> beside each): the request is pointed at the variant the
/// browser accepts, served with the original's content type and a Content-Encoding.
/// </summary>
public sealed class PrecompressedFiles : IContentTypeProvider
{
    public const string ManifestType = "application/manifest+json";

    private static readonly (string Encoding, string Suffix)[] Variants = [("br", ".br"), ("gzip", ".gz")];
    private readonly FileExtensionContentTypeProvider _types = new() { Mappings = { [".webmanifest"] = ManifestType } };

    public static void Choose(HttpContext http, IFileProvider webRoot)
    {
        var path = http.Request.Path.Value;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            || path is null || !(path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".css", StringComparison.Ordinal)))
            return;
        if (Preferred(http.Request, suffix => webRoot.GetFileInfo(path + suffix).Exists) is { } variant)
        {
            http.Request.Path = path + variant.Suffix;
            return;
        }
        // Served as it is: a cache must still keep the compressed variants apart from this one.
        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
    }

    /// <summary>The first of Brotli and gzip that the request accepts and <paramref name="available"/> (given the file suffix) has, else null.</summary>
    public static (string Encoding, string Suffix)? Preferred(HttpRequest request, Func<string, bool> available)
    {
        var accepted = request.GetTypedHeaders().AcceptEncoding;
        foreach (var (encoding, suffix) in Variants)
        {
            if (accepted.Any(a => a.Value.Equals(encoding, StringComparison.OrdinalIgnoreCase) && a.Quality is not 0) && available(suffix))
                return (encoding, suffix);
        }
        return null;
    }

    /// <summary>"br" or "gzip" for a compressed variant's file name, else null.</summary>
    public static string? EncodingOf(string fileName) =>
        Variants.FirstOrDefault(v => fileName.EndsWith(v.Suffix, StringComparison.Ordinal)).Encoding;

    public bool TryGetContentType(string subpath, out string contentType)
    {
        var suffix = Variants.FirstOrDefault(v => subpath.EndsWith(v.Suffix, StringComparison.Ordinal)).Suffix;
        return _types.TryGetContentType(suffix is null ? subpath : subpath[..^suffix.Length], out contentType!);
    }
}
