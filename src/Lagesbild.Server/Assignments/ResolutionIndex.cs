using System.Collections.Concurrent;
using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Assignments;

/// <summary>
/// The beslut and uppdrag of each picture as search hits, kept in memory beside the picture this node
/// holds: a search reads the feed's states and parses again only what changed since the last one,
/// so 10,000 beslut and uppdrag are searched without parsing 10,000 states each time.
/// </summary>
public sealed class ResolutionIndex(PictureFeeds feeds)
{
    private sealed record Indexed(long Seq, Dictionary<string, (long Seq, ResolutionHit Hit)> ByKey, ResolutionHit[] Hits);

    private readonly ConcurrentDictionary<string, Indexed> _pictures = new(StringComparer.Ordinal);

    public async Task<(long Seq, IReadOnlyList<ResolutionHit> Hits)> HitsAsync(string picture)
    {
        var feed = await feeds.GetAsync(picture);
        var (seq, records) = feed.SourcedStates();
        var known = _pictures.GetValueOrDefault(picture);
        if (known?.Seq == seq)
            return (seq, known.Hits);
        var byKey = new Dictionary<string, (long, ResolutionHit)>(StringComparer.Ordinal);
        foreach (var (key, recordSeq, json) in records)
        {
            if (!key.StartsWith(nameof(EntityKind.Resolution) + "/", StringComparison.Ordinal) && !key.StartsWith(nameof(EntityKind.Assignment) + "/", StringComparison.Ordinal))
                continue;
            if (known is not null && known.ByKey.TryGetValue(key, out var same) && same.Seq == recordSeq)
            {
                byKey[key] = same;
                continue;
            }
            if (!EntityRef.TryParse(key, out var entity))
                continue;
            var state = JsonSerializer.Deserialize(json, EntityKinds.StateType(entity.Kind), DomainJson.Options);
            if (state is not null && ResolutionSearch.HitOf(entity, recordSeq, state) is { } hit)
                byKey[key] = (recordSeq, hit);
        }
        var indexed = new Indexed(seq, byKey, byKey.Values.Select(v => v.Item2).ToArray());
        _pictures[picture] = indexed;
        return (seq, indexed.Hits);
    }
}
