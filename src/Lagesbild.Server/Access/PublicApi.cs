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
    public static IEndpointRouteBuilder MapPublicApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/public/safety-points", async (PictureFeeds feeds) =>
            {
                var (_, json) = (await feeds.GetAsync(PictureId.Live)).Snapshot();
                using var snapshot = JsonDocument.Parse(json);
                var points = snapshot.RootElement.GetProperty("entities").EnumerateArray()
                    .Where(e => e.GetProperty("kind").GetString() == nameof(EntityKind.SafetyPoint))
                    .Select(e => (Id: e.GetProperty("id").GetString()!, At: e.GetProperty("at").GetDateTimeOffset(),
                        State: e.GetProperty("state").Deserialize<SafetyPointState>(DomainJson.Options)!))
                    // The points residents may go to: those in operation, as the rules say.
                    .Where(p => SafetyPointRules.InOperation.Contains(p.State.Status))
                    .Select(p => PublicSafetyPoint.Of(p.Id, p.State, p.At))
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
