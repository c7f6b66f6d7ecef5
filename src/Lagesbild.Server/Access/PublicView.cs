using System.Globalization;
using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Geo;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Access;

/// <summary>
/// What residents see of the live picture, built once per change and then served from memory:
/// when the power is out and the whole city asks at once, a request costs a lookup, not a
/// store round trip or a pass over the picture. Never an exercise.
/// </summary>
public sealed class PublicView(PictureFeeds feeds)
{
    private static readonly StringComparer Swedish = StringComparer.Create(new CultureInfo("sv-SE"), false);
    private readonly SemaphoreSlim _building = new(1, 1);
    private PublicPoints? _current;
    // A picture's feed, once loaded, is never replaced: kept so Ready can ask it without awaiting.
    private PictureFeed? _feed;

    /// <summary>
    /// The open points when they are already built for the live picture as it stands, else null (then
    /// <see cref="CurrentAsync"/> builds them): the answer to nearly every resident, found without a task or a lock.
    /// </summary>
    public PublicPoints? Ready => Volatile.Read(ref _current) is { } current && Volatile.Read(ref _feed) is { } feed && current.Seq == feed.Seq ? current : null;

    /// <summary>The open points as of the live picture's current sequence number.</summary>
    public async ValueTask<PublicPoints> CurrentAsync()
    {
        var feed = await feeds.GetAsync(PictureId.Live);
        Volatile.Write(ref _feed, feed);
        var current = Volatile.Read(ref _current);
        if (current is not null && current.Seq == feed.Seq)
            return current;
        await _building.WaitAsync();
        try
        {
            current = Volatile.Read(ref _current);
            if (current is not null && current.Seq == feed.Seq)
                return current;
            current = Build(feed.Snapshot());
            Volatile.Write(ref _current, current);
            return current;
        }
        finally
        {
            _building.Release();
        }
    }

    private static PublicPoints Build((long Seq, byte[] Json) snapshot)
    {
        using var document = JsonDocument.Parse(snapshot.Json);
        var points = document.RootElement.GetProperty("entities").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == nameof(EntityKind.SafetyPoint))
            .Select(e => (Id: e.GetProperty("id").GetString()!, At: e.GetProperty("at").GetDateTimeOffset(),
                State: e.GetProperty("state").Deserialize<SafetyPointState>(DomainJson.Internal)!))
            // The points residents may go to: those in operation, as the rules say.
            .Where(p => SafetyPointRules.InOperation.Contains(p.State.Status))
            .Select(p => PublicSafetyPoint.Of(p.Id, p.State, p.At))
            .OrderBy(p => p.Name, Swedish)
            .ToArray();
        return new PublicPoints(snapshot.Seq, points, JsonSerializer.SerializeToUtf8Bytes(points, DomainJson.Options));
    }
}

/// <summary>The open points at one sequence number, and their JSON as served (compressed once per encoding).</summary>
public sealed record PublicPoints(long Seq, PublicSafetyPoint[] Points, byte[] Json)
{
    /// <summary>The list as sent, per encoding; its entity tag changes with every change of the live picture, so a cache revalidates cheaply.</summary>
    public PrecompressedJson Answer { get; } = new(Json, $"\"live-{Seq}\"");

    /// <summary>The <paramref name="count"/> points nearest to a position, nearest first.</summary>
    public NearbySafetyPoint[] Nearest(double lon, double lat, int count) =>
        [.. Points.Select(p => new NearbySafetyPoint((int)Math.Round(Distance.Metres(lon, lat, p.Lon, p.Lat)), p))
            .OrderBy(n => n.DistanceMetres).ThenBy(n => n.Point.Id, StringComparer.Ordinal)
            .Take(count)];
}

/// <summary>An open point and how far it is, as the crow flies, from where the resident asked.</summary>
public sealed record NearbySafetyPoint(int DistanceMetres, PublicSafetyPoint Point);
