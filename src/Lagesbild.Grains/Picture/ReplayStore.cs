using StackExchange.Redis;

namespace Lagesbild.Grains.Picture;

/// <summary>One imported loggbok entry, with what the store's indexes need of it.</summary>
/// <param name="Entry">The entry exactly as it is to be stored (UTF-8).</param>
/// <param name="Link">Its link in the hash chain (see <see cref="LoggbokChain"/>).</param>
public sealed record ImportedEntry(long Seq, byte[] Entry, string Link, Domain.Picture.EntityRef Entity, string? District, DateTimeOffset At);

/// <summary>The state an import leaves: every entity's last record and version (by <c>Kind/id</c>), and the replay checkpoints built on the way.</summary>
public sealed record ImportedPicture(
    IReadOnlyList<ImportedEntry> Entries,
    IReadOnlyDictionary<string, (long Seq, string Record)> Records,
    IReadOnlyDictionary<long, string> Checkpoints);

/// <summary>
/// What replay and a picture's file need of the store beyond the append: checkpoints (the
/// picture at every n-th sequence number, so that any moment is a short fold away), the
/// sequence number at a time, and writing a whole verified loggbok as a new picture.
/// </summary>
public sealed class ReplayStore(IConnectionMultiplexer redis)
{
    private const int WriteBatch = 2000;

    private IDatabase Db => redis.GetDatabase();

    public async Task<string?> ReadCheckpointAsync(PictureKeys keys, long seq)
    {
        var value = await Db.HashGetAsync(keys.Checkpoints, seq);
        return value.IsNull ? null : value.ToString();
    }

    public async Task<long[]> CheckpointSeqsAsync(PictureKeys keys) =>
        (await Db.HashKeysAsync(keys.Checkpoints)).Select(k => (long)k).Order().ToArray();

    /// <summary>Stores a checkpoint unless one is there: every node builds the same from the same loggbok.</summary>
    public Task WriteCheckpointAsync(PictureKeys keys, long seq, string records) =>
        Db.HashSetAsync(keys.Checkpoints, seq, records, When.NotExists);

    /// <summary>The last entry accepted at or before a time (0 when none was).</summary>
    public async Task<long> SeqAtAsync(PictureKeys keys, DateTimeOffset at)
    {
        var members = await Db.SortedSetRangeByScoreAsync(keys.ByTime, double.NegativeInfinity, at.ToUnixTimeMilliseconds(), order: Order.Descending, take: 1);
        return members.Length == 0 ? 0 : (long)members[0];
    }

    /// <summary>
    /// Removes whatever an import that died half-way left under a picture that was never
    /// finished (it is not marked seeded, so nothing reads it).
    /// </summary>
    public async Task RemoveUnfinishedAsync(PictureKeys keys)
    {
        var prefix = ((string)keys.Seq!)[..^"seq".Length];
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsReplica)
                continue;
            var stale = new List<RedisKey>();
            await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
                stale.Add(key);
            foreach (var chunk in stale.Chunk(500))
                await Db.KeyDeleteAsync(chunk);
        }
    }

    /// <summary>
    /// Writes a whole loggbok, already verified, as the picture's own: entries, chain, indexes,
    /// records, versions and checkpoints, and only then the sequence number and the mark that the
    /// picture exists, in one step that fails when the picture came into being meanwhile. Until
    /// that mark nothing reads these keys; if the writing fails they are removed again.
    /// </summary>
    public async Task<bool> ImportAsync(PictureKeys keys, ImportedPicture picture, DateTimeOffset now)
    {
        try
        {
            // Every batch is sent at once, awaited together: the store commits them in a few large
            // writes instead of one durable write after another.
            var writes = new List<Task>();
            foreach (var batch in picture.Entries.Chunk(WriteBatch))
            {
                writes.AddRange(new[]
                {
                    Db.HashSetAsync(keys.Log, batch.Select(e => new HashEntry(e.Seq, e.Entry)).ToArray()),
                    Db.HashSetAsync(keys.Chain, batch.Select(e => new HashEntry(e.Seq, e.Link)).ToArray()),
                    Db.SortedSetAddAsync(keys.ByTime, batch.Select(e => new SortedSetEntry(e.Seq, e.At.ToUnixTimeMilliseconds())).ToArray()),
                });
                foreach (var entity in batch.GroupBy(e => e.Entity))
                    writes.Add(Db.SortedSetAddAsync(keys.ByEntity(entity.Key), entity.Select(e => new SortedSetEntry(e.Seq, e.Seq)).ToArray()));
                foreach (var district in batch.Where(e => e.District is not null).GroupBy(e => e.District!))
                    writes.Add(Db.SortedSetAddAsync(keys.ByDistrict(district.Key), district.Select(e => new SortedSetEntry(e.Seq, e.Seq)).ToArray()));
            }
            writes.Add(Db.HashSetAsync(keys.State, picture.Records.Select(r => new HashEntry(r.Key, r.Value.Record)).ToArray()));
            writes.Add(Db.HashSetAsync(keys.Versions, picture.Records.Select(r => new HashEntry(r.Key, r.Value.Seq)).ToArray()));
            if (picture.Checkpoints.Count > 0)
                writes.Add(Db.HashSetAsync(keys.Checkpoints, picture.Checkpoints.Select(c => new HashEntry(c.Key, c.Value)).ToArray()));
            await Task.WhenAll(writes);

            var last = picture.Entries.Count == 0 ? 0 : picture.Entries[^1].Seq;
            var finished = (bool)await Db.ScriptEvaluateAsync("""
                if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
                redis.call('SET', KEYS[1], ARGV[1])
                redis.call('SET', KEYS[2], ARGV[2])
                return 1
                """, [keys.Seq, keys.Seeded], [last, now.ToString("O")]);
            return finished;
        }
        catch
        {
            await RemoveUnfinishedAsync(keys);
            throw;
        }
    }
}
