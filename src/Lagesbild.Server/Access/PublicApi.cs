using System.Globalization;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Server.Api;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Access;

/// <summary>
/// What residents may see: the trygghetspunkter that are open (or opening, or closing), where
/// they are and what they offer now — nothing of staffing, stocks or internal notes, and
/// never an exercise.
/// </summary>
public static class PublicApi
{
    /// <summary>
    /// How long a resident's browser or a proxy in front of us may reuse an answer without asking:
    /// short enough that a point that opens is seen within seconds, long enough that a city asking
    /// at once is mostly answered by caches. After that a revalidation costs a 304.
    /// </summary>
    private const int MaxAgeSeconds = 5;

    /// <summary>Residents' answers' Cache-Control, made once (see <see cref="MaxAgeSeconds"/>).</summary>
    public static readonly string CacheControl = $"public, max-age={MaxAgeSeconds}";

    /// <summary>Residents' list of open points; most asks are answered before routing by <see cref="PublicListFront"/>.</summary>
    public const string ListPath = "/api/public/safety-points";

    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ListPath, async (PublicView view, HttpContext http) =>
            {
                var representation = (await view.CurrentAsync()).Answer.For(http.Request);
                return Cached(http, representation.ETag, () => PrecompressedJson.Answer(http, representation));
            })
            .AllowAnonymous()
            .Produces<PublicSafetyPoint[]>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status304NotModified)
            .WithTags("Publikt")
            .WithSummary("Öppna trygghetspunkter för invånare: var, vad de erbjuder, om de är fulla")
            .WithDescription($"Svaret bär en ETag och får återanvändas i {MaxAgeSeconds} s; If-None-Match ger 304 så länge inget ändrats.");

        app.MapGet("/api/public/safety-points/nearest", async Task<IResult> (double? lon, double? lat, int? count, PublicView view, HttpContext http) =>
            {
                var problems = new Problems();
                problems.Range("lon", lon, -180, 180);
                problems.Range("lat", lat, -90, 90);
                problems.Range("count", count, 1, 20, required: false);
                if (problems.ToRefusal() is { } refusal)
                    return Results.Problem(CommandResponses.Problem(refusal));
                var current = await view.CurrentAsync();
                var take = count ?? 3;
                var etag = $"\"live-{current.Seq}-{lon!.Value.ToString("R", CultureInfo.InvariantCulture)}-{lat!.Value.ToString("R", CultureInfo.InvariantCulture)}-{take}\"";
                return Cached(http, etag, () => TypedResults.Ok(current.Nearest(lon.Value, lat.Value, take)));
            })
            .AllowAnonymous()
            .Produces<NearbySafetyPoint[]>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithTags("Publikt")
            .WithSummary("De öppna trygghetspunkterna närmast en position, närmast först, med avstånd fågelvägen i meter")
            .WithDescription("lon och lat i WGS 84; count 1–20 (3 om det utelämnas). Cachas som listan över alla punkter.");

        app.MapGet("/api/public/cap", async Task<IResult> (long? afterSeq, CapMessages cap, PictureFeeds feeds, HttpContext http) =>
                await CapIndexAsync(PictureId.Live, afterSeq, cap, feeds, http, "/api/public/cap"))
            .AllowAnonymous()
            .Produces<CapIndexEntry[]>(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithTags("Publikt")
            .WithSummary("Meddelanden till invånare om trygghetspunkter som CAP 1.2 (öppnar, ändras, fullt, stänger), äldst först")
            .WithDescription("afterSeq ger bara nyare meddelanden. Varje meddelande hämtas som CAP 1.2-XML från url.");
        app.MapGet("/api/public/cap/{identifier}", async Task<IResult> (string identifier, CapMessages cap) =>
                await CapDocumentAsync(PictureId.Live, identifier, cap))
            .AllowAnonymous()
            .Produces<string>(StatusCodes.Status200OK, CapContentType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithTags("Publikt")
            .WithName("GetPublicCapMessage")
            .WithSummary("Ett meddelande till invånare som CAP 1.2-XML");

        var exercise = app.MapGroup("/api/pictures/{picture}/cap").RequireAuthorization(AccessExtensions.OperatorsPicture).WithTags("Publikt");
        exercise.MapGet("", async Task<IResult> (string picture, long? afterSeq, CapMessages cap, PictureFeeds feeds, PictureDirectory pictures, HttpContext http) =>
                await pictures.ExistsAsync(picture)
                    ? await CapIndexAsync(picture, afterSeq, cap, feeds, http, $"/api/pictures/{picture}/cap")
                    : Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture))))
            .Produces<CapIndexEntry[]>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("De CAP-meddelanden en bild (också en övning, då alltid med status Exercise) ger invånarna");
        exercise.MapGet("/{identifier}", async Task<IResult> (string picture, string identifier, CapMessages cap, PictureDirectory pictures) =>
                await pictures.ExistsAsync(picture)
                    ? await CapDocumentAsync(picture, identifier, cap)
                    : Results.Problem(CommandResponses.Problem(PictureDirectory.Missing(picture))))
            .Produces<string>(StatusCodes.Status200OK, CapContentType)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithName("GetPicturesCapMessage")
            .WithSummary("Ett CAP-meddelande i en bild, som CAP 1.2-XML");
        return app;
    }

    /// <summary>CAP's registered media type.</summary>
    private const string CapContentType = "application/cap+xml";

    private static async Task<IResult> CapIndexAsync(string picture, long? afterSeq, CapMessages cap, PictureFeeds feeds, HttpContext http, string path)
    {
        if (afterSeq < 0)
            return Results.Problem(CommandResponses.Problem(Refusal.Invalid(new Dictionary<string, string[]> { ["afterSeq"] = ["Får inte vara negativt."] })));
        var seq = (await feeds.GetAsync(picture)).Seq;
        var messages = await cap.AfterAsync(picture, afterSeq ?? 0);
        return Cached(http, $"\"{picture}-cap-{seq}-{afterSeq ?? 0}\"", () => TypedResults.Ok(messages
            .Select(m => new CapIndexEntry(m.Seq, m.Identifier, m.Sent, m.MsgType, m.Headline, m.SafetyPoint, $"{path}/{m.Identifier}"))
            .ToArray()));
    }

    private static async Task<IResult> CapDocumentAsync(string picture, string identifier, CapMessages cap)
    {
        var message = (await cap.AfterAsync(picture, 0)).FirstOrDefault(m => m.Identifier == identifier);
        return message is null
            ? Results.Problem(CommandResponses.Problem(new Refusal(RefusalKind.NotFound, $"Meddelandet '{identifier}' finns inte (eller är för gammalt för att sparas).")))
            : Results.Text(message.Xml, CapContentType, System.Text.Encoding.UTF8);
    }

    private static IResult Cached(HttpContext http, string etag, Func<IResult> answer)
    {
        // Asked with a token, it is a signed-in answer like any other: never stored (no-store is
        // set for every signed-in answer). Residents ask without one, and their answers are cached.
        if (http.Request.Headers.Authorization.Count > 0)
            return answer();
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = CacheControl;
        return NotModified(http.Request.Headers.IfNoneMatch, etag)
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : answer();
    }

    /// <summary>Whether If-None-Match names <paramref name="etag"/> (or is <c>*</c>): read in place, without allocating, since every resident's revalidation asks it.</summary>
    public static bool NotModified(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            var rest = value.AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var tag = (comma < 0 ? rest : rest[..comma]).Trim();
                rest = comma < 0 ? default : rest[(comma + 1)..];
                if (tag.SequenceEqual(etag) || tag.SequenceEqual("*"))
                    return true;
            }
        }
        return false;
    }
}

/// <summary>
/// One open trygghetspunkt as residents see it. <see cref="Example"/>: demo data, not a real
/// place, which a resident must be told before walking there. <see cref="ResidentInfo"/> is
/// written for residents, so it is shown whole.
/// </summary>
public sealed record PublicSafetyPoint(string Id, string Name, string Address, double Lon, double Lat, SafetyPointStatus Status, string? Limitations,
    Capability[] Offers, bool Full, DateTimeOffset UpdatedAt, bool Example, ResidentInfo ResidentInfo)
{
    /// <summary>What of a point's state residents see; everything else (staff, stocks, notes) stays out.</summary>
    public static PublicSafetyPoint Of(string id, SafetyPointState state, DateTimeOffset updatedAt) => new(
        id, state.Name, state.Address, state.Position.Lon, state.Position.Lat, state.Status, state.Limitations,
        [.. state.Capabilities.Where(c => c.Value != CapabilityState.Unavailable).Select(c => c.Key)],
        state.Visitors >= state.Capacity, updatedAt, state.Example, state.ResidentInfo);
}

/// <summary>One CAP message in the list: what it says in short, and where its CAP 1.2 document is.</summary>
public sealed record CapIndexEntry(long Seq, string Identifier, DateTimeOffset Sent, string MsgType, string Headline, string SafetyPoint, string Url);
