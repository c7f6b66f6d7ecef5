using System.IO.Compression;
using Lagesbild.Server.Page;
using Microsoft.Net.Http.Headers;

namespace Lagesbild.Server.Access;

/// <summary>
/// One JSON answer, compressed once for everyone who asks for it instead of once per request:
/// the public list is the same bytes for the whole city until the picture changes, and on two
/// cores compressing it per request would cost more than everything else the request does.
/// Each encoding is made the first time a client accepts it; which one a request gets is
/// <see cref="PrecompressedFiles.Preferred"/>'s choice, the same as for the page's files.
/// </summary>
/// <param name="etag">The strong entity tag of the plain JSON; each encoding's is derived from it.</param>
public sealed class PrecompressedJson(byte[] json, string etag)
{
    private readonly Representation _identity = new(null, etag, json);
    private readonly Lazy<Representation> _brotli = new(() => new("br", Tagged(etag, "br"), Compress(json, s => new BrotliStream(s, CompressionLevel.Optimal))));
    private readonly Lazy<Representation> _gzip = new(() => new("gzip", Tagged(etag, "gzip"), Compress(json, s => new GZipStream(s, CompressionLevel.Optimal))));

    /// <summary>
    /// The representation this request gets. Each encoding is its own representation with its own
    /// strong tag (RFC 9110, 8.8.3): the plain one with the encoding added. Everything it returns was
    /// made once, so choosing costs no allocation.
    /// </summary>
    public Representation For(HttpRequest request) => PrecompressedFiles.Preferred(request, static _ => true)?.Encoding switch
    {
        "br" => _brotli.Value,
        "gzip" => _gzip.Value,
        _ => _identity,
    };

    /// <summary>Writes <paramref name="representation"/>, marked so the compression middleware leaves it alone.</summary>
    public static IResult Answer(HttpContext http, Representation representation)
    {
        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (representation.Encoding is { } encoding)
            http.Response.Headers.ContentEncoding = encoding;
        return Results.Bytes(representation.Bytes, "application/json");
    }

    private static string Tagged(string etag, string encoding) => $"{etag[..^1]}-{encoding}\"";

    private static byte[] Compress(byte[] json, Func<Stream, Stream> compressor)
    {
        using var buffer = new MemoryStream();
        using (var stream = compressor(buffer))
            stream.Write(json);
        return buffer.ToArray();
    }

    /// <summary>One encoding of the answer: its Content-Encoding (null for plain JSON), its entity tag and its bytes.</summary>
    public sealed record Representation(string? Encoding, string ETag, byte[] Bytes);
}
