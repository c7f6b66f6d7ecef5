using System.Security.Cryptography;
using System.Text;

namespace Lagesbild.Grains.Picture;

/// <summary>The outcome of checking a picture's loggbok against its hash chain.</summary>
/// <param name="Seq">The last sequence number checked (the picture's when the check began).</param>
/// <param name="Chained">Entries covered by the chain and found as they were written.</param>
/// <param name="Unchained">Entries at the start written before the chain existed (by an earlier version).</param>
/// <param name="FirstBroken">The first entry that is missing, out of place or not as it was written; null when intact.</param>
public sealed record ChainReport(long Seq, long Chained, long Unchained, bool Intact, long? FirstBroken, string? Problem);

/// <summary>
/// The loggbok's integrity: the append (Lua script and Garnet procedure alike) stores with
/// every entry a link, SHA-1(previous link .. entry) in hex, in a hash of its own. Changing,
/// removing or reordering an entry breaks its link and every link after it, which
/// <see cref="VerifyAsync"/> finds. SHA-1 because it is what Redis' Lua offers
/// (<c>redis.sha1hex</c>); the chain is a check against corruption and tampering that does
/// not rewrite every later link too, not a signature, and its links are never shown to partners
/// (a link over an entry with an internal note would let them test guesses of the note).
/// </summary>
public static class LoggbokChain
{
    private const int Batch = 1000;

    public static string Link(string? previous, string entry) =>
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes((previous ?? "") + entry)));

    public static async Task<ChainReport> VerifyAsync(PictureStore store, PictureKeys keys)
    {
        var last = await store.CurrentSeqAsync(keys);
        long chained = 0, unchained = 0;
        string? previous = null;
        for (var after = 0L; after < last; after += Batch)
        {
            var through = Math.Min(last, after + Batch);
            var entries = await store.ReadEntriesWithGapsAsync(keys, after, through);
            var links = await store.ReadChainAsync(keys, after, through);
            for (var i = 0; i < entries.Length; i++)
            {
                var seq = after + 1 + i;
                var (entry, link) = (entries[i], links[i]);
                if (entry is null)
                    return Broken(seq, $"Post {seq} saknas i loggboken.");
                if (EntryJson.SeqOf(entry) != seq)
                    return Broken(seq, $"Post {seq} bär numret {EntryJson.SeqOf(entry)}: loggboken är omkastad.");
                if (link is null)
                {
                    // Only entries from before the chain have no link, and they come first.
                    if (chained > 0)
                        return Broken(seq, $"Post {seq} saknar sin länk i kedjan.");
                    unchained++;
                    continue;
                }
                if (Link(previous, entry) != link)
                    return Broken(seq, $"Post {seq} är inte som den skrevs (eller en post före den har ändrats).");
                previous = link;
                chained++;
            }
        }
        return new ChainReport(last, chained, unchained, true, null, null);

        ChainReport Broken(long seq, string problem) => new(last, chained, unchained, false, seq, problem);
    }
}
