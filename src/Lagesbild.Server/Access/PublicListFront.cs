using Lagesbild.Server.Geo;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Lagesbild.Server.Access;

/// <summary>
/// Residents' list of open trygghetspunkter, answered at the very front of the pipeline. When the
/// power is out and the whole city asks at once, each ask is the same few kilobytes, made once per
/// change of the live picture (<see cref="PublicView"/>, <see cref="PrecompressedJson"/>); what the
/// rest of the pipeline would do for it (compression, error pages, authentication, rate limits, the
/// static files' look in the file system, routing) changes nothing in the answer and on two cores
/// costs more than the answer itself. So a plain GET of the list, without a token or a query, is
/// answered here once the list is built for the picture as it stands, with the security headers every
/// answer carries, its ETag and Cache-Control, and a 304 for a matching If-None-Match; beyond the header
/// writes it allocates nothing. Everything else goes on to the endpoint (<see cref="PublicApi"/>), which
/// answers the same: a signed-in ask, and the first ask after a change, which builds the list there with
/// the pipeline's handling of a store that does not answer (503, never 500).
/// </summary>
public sealed class PublicListFront(RequestDelegate next, PublicView view, IOptions<MapOptions> map, IOptions<AuthOptions> auth, IWebHostEnvironment environment)
{
    private readonly string _policy = SecurityHeaders.PagePolicy(map.Value, auth.Value, environment);

    public Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        return HttpMethods.IsGet(request.Method) && string.Equals(request.Path.Value, PublicApi.ListPath, StringComparison.Ordinal)
            && !request.QueryString.HasValue && request.Headers.Authorization.Count == 0 && view.Ready is { } current
            ? AnswerAsync(http, current)
            : next(http);
    }

    private async Task AnswerAsync(HttpContext http, PublicPoints current)
    {
        var representation = current.Answer.For(http.Request);
        var response = http.Response;
        var headers = response.Headers;
        SecurityHeaders.Write(headers, _policy, http.Request.IsHttps);
        headers.ETag = representation.ETag;
        headers.CacheControl = PublicApi.CacheControl;
        headers.Vary = HeaderNames.AcceptEncoding;
        if (PublicApi.NotModified(http.Request.Headers.IfNoneMatch, representation.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        if (representation.Encoding is { } encoding)
            headers.ContentEncoding = encoding;
        response.ContentType = "application/json";
        response.ContentLength = representation.Bytes.Length;
        await response.Body.WriteAsync(representation.Bytes);
    }
}
