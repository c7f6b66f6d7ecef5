using System.Diagnostics;
using System.Diagnostics.Metrics;
using Lagesbild.Domain.Picture;
using StackExchange.Redis;

namespace Lagesbild.Grains.Picture;

/// <summary>What happened to an append: stored, already stored earlier, or overtaken by another writer.</summary>
public enum AppendOutcome
{
    Appended,
    Duplicate,
    Conflict,
}

/// <param name="Request">For a duplicate: the fingerprint of the request that first used the command id (null for entries stored before fingerprints).</param>
public readonly record struct AppendResult(AppendOutcome Outcome, long Seq, string? Request = null)
{
    /// <summary>Parses the stored <c>seq[:fingerprint]</c> of an applied command id.</summary>
    public static (long Seq, string? Request) ParseApplied(string applied)
    {
        var colon = applied.IndexOf(':');
        return colon < 0 ? (long.Parse(applied), null) : (long.Parse(applied.AsSpan(0, colon)), applied[(colon + 1)..]);
    }
}

/// <summary>A loggbok query: any combination of entity, district, time range and sequence window.</summary>
public sealed record LogQuery(EntityRef? Entity, string? District, DateTimeOffset? From, DateTimeOffset? To, long AfterSeq, int Limit);

/// <summary>
/// The picture's durable store on Redis (or the embedded Garnet): one Lua script appends an
/// entry to the loggbok and updates the entity's record atomically, so the state and the
/// loggbok can never disagree, and the command is acknowledged only after it is stored. On
/// the embedded Garnet the same append runs as a registered procedure
/// (<see cref="GarnetAppendProcedure"/>), which Garnet logs as one entry instead of eight.
/// </summary>
public sealed class PictureStore(IConnectionMultiplexer redis, bool useGarnetProcedure = false)
{
    public const string MeterName = "Lagesbild.Store";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> AppendLatency = Meter.CreateHistogram<double>(
        "lagesbild.store.append.latency", "ms", "Time to append a change durably (the commit point).");
    public static readonly ActivitySource Activity = new("Lagesbild.Store");

    // KEYS: seq, log, state, versions, commandIds, byTime, byEntity, byDistrict, chain
    // ARGV: entity, expectedSeq, commandId, entryTail, recordTail, atMs, hasDistrict, request
    // A command id maps to "seq:request" (the request's fingerprint), so a reused id can be told
    // from a retry. The chain keeps, per entry, SHA-1(previous link .. entry): see LoggbokChain.
    private const string AppendScript = """
        local done = redis.call('HGET', KEYS[5], ARGV[3])
        if done then return {1, done} end
        local current = tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0')
        if current ~= tonumber(ARGV[2]) then return {2, current} end
        local seq = redis.call('INCR', KEYS[1])
        local head = '{"seq":' .. seq .. ','
        local entry = head .. ARGV[4]
        local previous = ''
        if seq > 1 then previous = redis.call('HGET', KEYS[9], seq - 1) or '' end
        redis.call('HSET', KEYS[2], seq, entry)
        redis.call('HSET', KEYS[9], seq, redis.sha1hex(previous .. entry))
        redis.call('HSET', KEYS[3], ARGV[1], head .. ARGV[5])
        redis.call('HSET', KEYS[4], ARGV[1], seq)
        redis.call('HSET', KEYS[5], ARGV[3], seq .. ':' .. ARGV[8])
        redis.call('ZADD', KEYS[6], ARGV[6], seq)
        redis.call('ZADD', KEYS[7], seq, seq)
        if ARGV[7] == '1' then redis.call('ZADD', KEYS[8], seq, seq) end
        return {0, seq}
        """;

    // Reads the whole picture and the sequence number it reflects in one atomic step.
    private const string ReadPictureScript = """
        local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
        local records = redis.call('HVALS', KEYS[2])
        local last = ''
        if seq > 0 then last = redis.call('HGET', KEYS[3], seq) or '' end
        return {seq, last, records}
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <param name="request">The fingerprint of the request (<see cref="RequestFingerprint"/>), kept with the command id.</param>
    public async Task<AppendResult> AppendAsync(
        PictureKeys keys, EntityRef entity, long expectedSeq, Guid commandId, string? district,
        string entryTail, string recordTail, DateTimeOffset at, string request)
    {
        using var activity = Activity.StartActivity("store append");
        var started = Stopwatch.GetTimestamp();
        RedisKey[] keyList = [keys.Seq, keys.Log, keys.State, keys.Versions, keys.CommandIds, keys.ByTime, keys.ByEntity(entity), keys.ByDistrict(district ?? "-"), keys.Chain];
        RedisValue[] values = [entity.ToString(), expectedSeq, commandId.ToString("N"), entryTail, recordTail, at.ToUnixTimeMilliseconds(), district is null ? "0" : "1", request];
        AppendResult appended;
        if (useGarnetProcedure)
        {
            var answer = (string)(await Db.ExecuteAsync(GarnetAppendProcedure.Name, [.. keyList.Cast<object>(), .. values.Cast<object>()]))!;
            var colon = answer.IndexOf(':');
            appended = Answer((AppendOutcome)int.Parse(answer.AsSpan(0, colon)), answer[(colon + 1)..]);
        }
        else
        {
            var result = (RedisResult[])(await Db.ScriptEvaluateAsync(AppendScript, keyList, values))!;
            appended = Answer((AppendOutcome)(int)result[0], (string)result[1]!);
        }
        AppendLatency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return appended;
    }

    /// <summary>
    /// Runs, once, what the embedded store does for the first time at a picture's 1,000th entry,
    /// on a picture of its own that no listing shows (never seeded) and that is removed afterwards.
    /// </summary>
    /// <remarks>
    /// There the sequence number grows a digit and no longer fits its record: Garnet's first
    /// copy-update inside the append procedure, about 40 methods compiled on the appending thread,
    /// 6–12 ms inside one change's durable append (BENCHMARKS.md, H40 and H42). Whether a number
    /// still fits depends on the key's length (records are 8-byte aligned), so the counter here is
    /// set to 9, 99, 999, … and each time incremented by the procedure: one of those increments
    /// outgrows its record and compiles that path, as the real one runs. Call it after the node is
    /// ready, off any change's path; a Redis server compiles nothing in this process, so it does
    /// nothing there.
    /// </remarks>
    public async Task WarmAsync()
    {
        if (!useGarnetProcedure)
            return;
        var keys = new PictureKeys($"warm-{Guid.NewGuid():N}");
        var entity = new EntityRef(EntityKind.City, "warm");
        try
        {
            var seq = 0L;
            for (var digits = 0; digits <= 16; digits++)
            {
                if (digits > 0)
                    await Db.StringSetAsync(keys.Seq, new string('9', digits));
                seq = (await AppendAsync(keys, entity, seq, Guid.NewGuid(), district: null,
                    entryTail: "\"warm\":true}", recordTail: "\"warm\":true}", DateTimeOffset.UnixEpoch, request: "warm")).Seq;
            }
        }
        finally
        {
            await Db.KeyDeleteAsync([keys.Seq, keys.Log, keys.State, keys.Versions, keys.CommandIds, keys.ByTime, keys.ByEntity(entity), keys.ByDistrict("-"), keys.Chain]);
        }
    }

    private static AppendResult Answer(AppendOutcome outcome, string value)
    {
        if (outcome != AppendOutcome.Duplicate)
            return new AppendResult(outcome, long.Parse(value));
        var (seq, request) = AppendResult.ParseApplied(value);
        return new AppendResult(outcome, seq, request);
    }

    /// <summary>
    /// Whether a command id was applied already (its sequence number and request fingerprint,
    /// else null) and the entity's current version, in one round trip.
    /// </summary>
    public async Task<((long Seq, string? Request)? Applied, long Version)> CheckAsync(PictureKeys keys, EntityRef entity, Guid commandId)
    {
        var batch = Db.CreateBatch();
        var applied = batch.HashGetAsync(keys.CommandIds, commandId.ToString("N"));
        var version = batch.HashGetAsync(keys.Versions, entity.ToString());
        batch.Execute();
        var done = await applied;
        return (done.IsNull ? null : AppendResult.ParseApplied(done.ToString()), (long?)await version ?? 0);
    }

    /// <summary>The chain links of entries (afterSeq, throughSeq], in order; null where an entry has none.</summary>
    public Task<string?[]> ReadChainAsync(PictureKeys keys, long afterSeq, long throughSeq) => ReadRangeAsync(keys.Chain, afterSeq, throughSeq);

    /// <summary>The loggbok entries (afterSeq, throughSeq] exactly as stored, with null for any that is missing.</summary>
    public Task<string?[]> ReadEntriesWithGapsAsync(PictureKeys keys, long afterSeq, long throughSeq) => ReadRangeAsync(keys.Log, afterSeq, throughSeq);

    /// <summary>The entity's current record JSON, or null when it has never been registered.</summary>
    public async Task<string?> ReadRecordAsync(PictureKeys keys, EntityRef entity)
    {
        var value = await Db.HashGetAsync(keys.State, entity.ToString());
        return value.IsNull ? null : value.ToString();
    }

    /// <summary>The whole picture: the sequence number it reflects, that entry, and every entity's record.</summary>
    public async Task<(long Seq, string? LastEntry, string[] Records)> ReadPictureAsync(PictureKeys keys)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(ReadPictureScript, [keys.Seq, keys.State, keys.Log]))!;
        var last = (string?)result[1];
        return ((long)result[0], string.IsNullOrEmpty(last) ? null : last, ((RedisResult[])result[2]!).Select(r => (string)r!).ToArray());
    }

    /// <summary>Every record of one kind of entity in a picture (its id and record), read in batches.</summary>
    public async Task<IReadOnlyList<(string Id, string Record)>> ReadRecordsAsync(PictureKeys keys, EntityKind kind)
    {
        var records = new List<(string, string)>();
        var prefix = $"{kind}/";
        await foreach (var field in Db.HashScanAsync(keys.State, $"{prefix}*"))
            records.Add((field.Name.ToString()[prefix.Length..], field.Value.ToString()));
        return records;
    }

    public async Task<long> CurrentSeqAsync(PictureKeys keys) => (long?)await Db.StringGetAsync(keys.Seq) ?? 0;

    /// <summary>The loggbok entries with sequence numbers in (afterSeq, throughSeq], in order.</summary>
    public async Task<string[]> ReadEntriesAsync(PictureKeys keys, long afterSeq, long throughSeq) =>
        (await ReadRangeAsync(keys.Log, afterSeq, throughSeq)).OfType<string>().ToArray();

    /// <summary>The fields (afterSeq, throughSeq] of a hash keyed by sequence number, in order; null where one is missing.</summary>
    private async Task<string?[]> ReadRangeAsync(RedisKey hash, long afterSeq, long throughSeq)
    {
        if (throughSeq <= afterSeq)
            return [];
        var fields = new RedisValue[throughSeq - afterSeq];
        for (var i = 0; i < fields.Length; i++)
            fields[i] = afterSeq + 1 + i;
        var values = await Db.HashGetAsync(hash, fields);
        return values.Select(v => v.IsNull ? null : v.ToString()).ToArray();
    }

    public async Task<string?> ReadEntryAsync(PictureKeys keys, long seq)
    {
        var value = await Db.HashGetAsync(keys.Log, seq);
        return value.IsNull ? null : value.ToString();
    }

    public async Task<string[]> QueryAsync(PictureKeys keys, LogQuery query)
    {
        // Pick the narrowest index, then filter the rest in memory: the loggbok of one
        // picture is thousands of entries, not millions.
        IEnumerable<long> seqs;
        if (query.Entity is { } entity)
            seqs = await SeqsByScore(keys.ByEntity(entity), query.AfterSeq);
        else if (query.District is { } district)
            seqs = await SeqsByScore(keys.ByDistrict(district), query.AfterSeq);
        else if (query.From is not null || query.To is not null)
        {
            var members = await Db.SortedSetRangeByScoreAsync(keys.ByTime,
                query.From?.ToUnixTimeMilliseconds() ?? double.NegativeInfinity,
                query.To?.ToUnixTimeMilliseconds() ?? double.PositiveInfinity);
            seqs = members.Select(m => (long)m).Where(s => s > query.AfterSeq).Order();
        }
        else
        {
            var last = await CurrentSeqAsync(keys);
            return await ReadEntriesAsync(keys, query.AfterSeq, Math.Min(last, query.AfterSeq + query.Limit));
        }

        var candidates = seqs.ToArray();
        var fields = candidates.Select(s => (RedisValue)s).ToArray();
        var values = fields.Length == 0 ? [] : await Db.HashGetAsync(keys.Log, fields);
        var entries = new List<string>();
        foreach (var value in values)
        {
            if (value.IsNull)
                continue;
            var text = value.ToString();
            if (LogEntryFilter.Matches(text, query))
                entries.Add(text);
            if (entries.Count >= query.Limit)
                break;
        }
        return entries.ToArray();
    }

    private async Task<IEnumerable<long>> SeqsByScore(RedisKey index, long afterSeq)
    {
        var members = await Db.SortedSetRangeByScoreAsync(index, afterSeq, double.PositiveInfinity, Exclude.Start);
        return members.Select(m => (long)m);
    }

    public Task PublishAsync(PictureKeys keys, string entry) =>
        redis.GetSubscriber().PublishAsync(keys.Channel, entry);

    /// <summary>Marks the picture as given its configuration; true for the one caller that got there first.</summary>
    public Task<bool> TryMarkSeededAsync(PictureKeys keys) => Db.StringSetAsync(keys.Seeded, DateTimeOffset.UtcNow.ToString("O"), when: When.NotExists);

    public async Task<bool> IsSeededAsync(PictureKeys keys) => await Db.KeyExistsAsync(keys.Seeded);

    public async Task<IReadOnlyList<string>> ListPicturesAsync()
    {
        var pictures = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsReplica)
                continue;
            await foreach (var key in server.KeysAsync(pattern: "lb:{*}:seeded"))
            {
                if (PictureKeys.PictureOfChannel(key.ToString()) is { } picture)
                    pictures.Add(picture);
            }
        }
        return pictures.ToArray();
    }
}
