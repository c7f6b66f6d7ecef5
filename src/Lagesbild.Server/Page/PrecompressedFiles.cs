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
        var accepted = request.Headers.AcceptEncoding;
        foreach (var (encoding, suffix) in Variants)
        {
            if (Accepts(accepted, encoding) && available(suffix))
                return (encoding, suffix);
        }
        return null;
    }

    /// <summary>
    /// Whether an Accept-Encoding header names <paramref name="encoding"/> without <c>q=0</c> (RFC 9110, 12.5.3).
    /// Read in place rather than through the typed headers: residents' list is answered with this choice for
    /// every request, and parsing would allocate a list per request.
    /// </summary>
    public static bool Accepts(Microsoft.Extensions.Primitives.StringValues header, string encoding)
    {
        foreach (var value in header)
        {
            var rest = value.AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var item = comma < 0 ? rest : rest[..comma];
                rest = comma < 0 ? default : rest[(comma + 1)..];
                var semicolon = item.IndexOf(';');
                if (!(semicolon < 0 ? item : item[..semicolon]).Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase))
                    continue;
                if (semicolon < 0 || Quality(item[(semicolon + 1)..]) is > 0)
                    return true;
            }
        }
        return false;
    }

    /// <summary>The <c>q</c> parameter among an item's parameters: 1 when absent, null when it is not a number.</summary>
    private static double? Quality(ReadOnlySpan<char> parameters)
    {
        while (!parameters.IsEmpty)
        {
            var semicolon = parameters.IndexOf(';');
            var parameter = (semicolon < 0 ? parameters : parameters[..semicolon]).Trim();
            parameters = semicolon < 0 ? default : parameters[(semicolon + 1)..];
            if (parameter.Length >= 2 && (parameter[0] is 'q' or 'Q') && parameter[1] == '=')
                return double.TryParse(parameter[2..], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var q) ? q : null;
        }
        return 1;
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
