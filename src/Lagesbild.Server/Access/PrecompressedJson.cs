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
public sealed class PrecompressedJson(byte[] json)
{
    private readonly Lazy<byte[]> _brotli = new(() => Compress(json, s => new BrotliStream(s, CompressionLevel.Optimal)));
    private readonly Lazy<byte[]> _gzip = new(() => Compress(json, s => new GZipStream(s, CompressionLevel.Optimal)));

    /// <summary>
    /// The encoding this request gets, and its entity tag: each encoding is its own representation
    /// (RFC 9110, 8.8.3), so its strong tag is the plain one with the encoding added.
    /// </summary>
    public static (string? Encoding, string ETag) Representation(HttpRequest request, string etag)
    {
        var encoding = PrecompressedFiles.Preferred(request, _ => true)?.Encoding;
        return (encoding, encoding is null ? etag : $"{etag[..^1]}-{encoding}\"");
    }

    /// <summary>Writes the answer in <paramref name="encoding"/>, marked so the compression middleware leaves it alone.</summary>
    public IResult Answer(HttpContext http, string? encoding)
    {
        http.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        if (encoding is null)
            return Results.Bytes(json, "application/json");
        http.Response.Headers.ContentEncoding = encoding;
        return Results.Bytes(encoding == "br" ? _brotli.Value : _gzip.Value, "application/json");
    }

    private static byte[] Compress(byte[] json, Func<Stream, Stream> compressor)
    {
        using var buffer = new MemoryStream();
        using (var stream = compressor(buffer))
            stream.Write(json);
        return buffer.ToArray();
    }
}
