using System.Text.Json;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Replay;

/// <summary>
/// A picture as of one sequence number, folded from its loggbok: the last record of each
/// entity with a sequence number up to it. Every entry carries the entity's whole state after
/// the change, so folding is only "the later record wins", exactly as the live feed applies
/// deltas (<see cref="PictureFeed"/>); the digest is the live one's (<see cref="PictureFeed.Digest"/>).
/// </summary>
public sealed class FoldedPicture
{
    private readonly Dictionary<string, (long Seq, string Record, string State)> _records = new(StringComparer.Ordinal);

    public long Seq { get; private set; }
    public string? EventId { get; private set; }
    public DateTimeOffset? At { get; private set; }
    public int Count => _records.Count;

    public IEnumerable<KeyValuePair<string, (long Seq, string Record, string State)>> Records => _records;

    public void Apply(LiveEntry entry)
    {
        _records[entry.EntityKey] = (entry.Seq, entry.Record, entry.State);
        Seq = entry.Seq;
        EventId = entry.EventId;
        At = entry.At;
    }

    /// <summary>Names the entry the fold stands at when it was read from a checkpoint (which holds records only).</summary>
    public void StandAt(LiveEntry entry)
    {
        Seq = entry.Seq;
        EventId = entry.EventId;
        At = entry.At;
    }

    /// <summary>The records as a checkpoint keeps them: a JSON array of EntityRecords.</summary>
    public string ToCheckpoint() => $"[{string.Join(',', _records.Values.Select(r => r.Record))}]";

    public static FoldedPicture FromCheckpoint(string checkpoint, long seq)
    {
        var folded = new FoldedPicture { Seq = seq };
        using var document = JsonDocument.Parse(checkpoint);
        foreach (var record in document.RootElement.EnumerateArray())
        {
            var key = $"{record.GetProperty("kind").GetString()}/{record.GetProperty("id").GetString()}";
            folded._records[key] = (record.GetProperty("seq").GetInt64(), record.GetRawText(), record.GetProperty("state").GetRawText());
        }
        return folded;
    }

    public string Digest() => PictureFeed.Digest(_records.Select(r => (r.Key, r.Value.Seq, r.Value.State)));

    public byte[] SnapshotJson(string picture) => PictureFeed.SnapshotJson(picture, Seq, EventId, _records.Values.Select(r => r.Record));
}
