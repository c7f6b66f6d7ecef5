using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Access;

/// <summary>
/// What residents may see: the trygghetspunkter that are open (or opening, or closing), where
/// they are and what they offer now — nothing of staffing, stocks or internal notes, and
/// never an exercise.
/// </summary>
public static class PublicApi
{
    /// <summary>The points residents may go to: those in operation (the rules decide which statuses those are).</summary>
    private static readonly HashSet<string> Visible = [.. SafetyPointRules.InOperation.Select(s => s.ToString())];

    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/public/safety-points", async (PictureFeeds feeds) =>
            {
                var (_, json) = (await feeds.GetAsync(PictureId.Live)).Snapshot();
                using var snapshot = JsonDocument.Parse(json);
                var points = snapshot.RootElement.GetProperty("entities").EnumerateArray()
                    .Where(e => e.GetProperty("kind").GetString() == nameof(EntityKind.SafetyPoint))
                    .Select(e => (Id: e.GetProperty("id").GetString()!, At: e.GetProperty("at").GetDateTimeOffset(), State: e.GetProperty("state")))
                    .Where(p => Visible.Contains(p.State.GetProperty("status").GetString()!))
                    .Select(p => new PublicSafetyPoint(
                        p.Id,
                        p.State.GetProperty("name").GetString()!,
                        p.State.GetProperty("address").GetString()!,
                        p.State.GetProperty("position").GetProperty("lon").GetDouble(),
                        p.State.GetProperty("position").GetProperty("lat").GetDouble(),
                        p.State.GetProperty("status").GetString()!,
                        p.State.GetProperty("limitations").GetString(),
                        p.State.GetProperty("capabilities").EnumerateObject().Where(c => c.Value.GetString() != "Unavailable").Select(c => c.Name).ToArray(),
                        p.State.GetProperty("visitors").GetInt32() >= p.State.GetProperty("capacity").GetInt32(),
                        p.At,
                        p.State.GetProperty("example").GetBoolean()))
                    .OrderBy(p => p.Name, StringComparer.Create(new System.Globalization.CultureInfo("sv-SE"), false))
                    .ToArray();
                return TypedResults.Ok(points);
            })
            .AllowAnonymous()
            .WithTags("Publikt")
            .WithSummary("Öppna trygghetspunkter för invånare: var, vad de erbjuder, om de är fulla");
        return app;
    }
}

/// <summary>
/// One open trygghetspunkt as residents see it. <see cref="Example"/>: demo data, not a real
/// place, which a resident must be told before walking there.
/// </summary>
public sealed record PublicSafetyPoint(string Id, string Name, string Address, double Lon, double Lat, string Status, string? Limitations,
    string[] Offers, bool Full, DateTimeOffset UpdatedAt, bool Example);
