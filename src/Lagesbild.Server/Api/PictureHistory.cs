using System.Text.Json;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Api;

/// <summary>
/// The picture as it stood at an earlier sequence number, folded from the loggbok: every entry
/// carries its entity's whole state, so the last entry of each entity up to that number is its
/// record then. A beslut names the number it was taken on; this shows what the decider saw.
/// </summary>
public static class PictureHistory
{
    private const int Page = 1000;

    /// <summary>The digest the picture had at <paramref name="atSeq"/> (the same fingerprint /digest gives of the picture now).</summary>
    public static async Task<string> DigestAtAsync(PictureStore store, PictureKeys keys, long atSeq)
    {
        var records = new Dictionary<string, (long Seq, string State)>(StringComparer.Ordinal);
        for (var after = 0L; after < atSeq; after += Page)
        {
            foreach (var entry in await store.ReadEntriesAsync(keys, after, Math.Min(after + Page, atSeq)))
            {
                using var document = JsonDocument.Parse(entry);
                var root = document.RootElement;
                var entity = root.GetProperty("entity");
                records[$"{entity.GetProperty("kind").GetString()}/{entity.GetProperty("id").GetString()}"] =
                    (root.GetProperty("seq").GetInt64(), root.GetProperty("state").GetRawText());
            }
        }
        return PictureFeed.Digest(records.Select(r => (r.Key, r.Value.Seq, r.Value.State)));
    }
}
