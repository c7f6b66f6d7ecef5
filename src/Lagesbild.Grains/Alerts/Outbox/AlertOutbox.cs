using System.Text.Json;
using Lagesbild.Domain.Picture;
using StackExchange.Redis;

namespace Lagesbild.Grains.Alerts.Outbox;

/// <summary>
/// The alerts' durable outbox in the store, beside the picture's loggbok (same <c>lb:{picture}</c> hash tag):
/// <c>outbox</c> (item id → item), <c>outbox:due</c> (ids by when they are due), <c>outbox:inflight</c> (ids being
/// sent by the lease holder) and <c>outbox:lease</c> (which node sends this picture's items). Each step that moves an
/// item is one Lua script, as the loggbok's append is, so an item is always in exactly one place after a crash.
/// </summary>
public sealed class AlertOutbox(IConnectionMultiplexer redis)
{
    /// <summary>The pictures that have (had) an outbox: the worker's list to look at.</summary>
    private static readonly RedisKey Pictures = "lb:outbox:pictures";

    private const string EnqueueScript = """
        if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
          return 1
        end
        return 0
        """;

    // 1: held on (renewed); 2: taken now (whatever the last holder had in flight is due again); 0: another node's.
    private const string LeaseScript = """
        local holder = redis.call('GET', KEYS[1])
        if holder == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        if holder then return 0 end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        local left = redis.call('ZRANGE', KEYS[3], 0, -1)
        for _, id in ipairs(left) do
          redis.call('ZADD', KEYS[2], ARGV[3], id)
        end
        redis.call('DEL', KEYS[3])
        return 2
        """;

    // Only the lease holder claims; a claimed item moves from due to in flight. An item in flight since before
    // ARGV[4] was orphaned (its try ended long ago, its answer never settled: the store away a moment) and is due again.
    private const string ClaimScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {} end
        local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
        for _, id in ipairs(stale) do
          redis.call('ZREM', KEYS[3], id)
          redis.call('ZADD', KEYS[2], ARGV[2], id)
        end
        local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
        local items = {}
        for _, id in ipairs(ids) do
          redis.call('ZREM', KEYS[2], id)
          redis.call('ZADD', KEYS[3], ARGV[2], id)
          local item = redis.call('HGET', KEYS[4], id)
          if item then table.insert(items, item) end
        end
        return items
        """;

    // ARGV[3] empty: the item is done (out of flight); else it is due again then.
    private const string SettleScript = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('ZREM', KEYS[2], ARGV[1])
        if ARGV[3] ~= '' then redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1]) end
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    private static RedisKey Items(string picture) => $"lb:{{{picture}}}:outbox";
    private static RedisKey Due(string picture) => $"lb:{{{picture}}}:outbox:due";
    private static RedisKey InFlight(string picture) => $"lb:{{{picture}}}:outbox:inflight";
    private static RedisKey Lease(string picture) => $"lb:{{{picture}}}:outbox:lease";

    /// <summary>Writes the item unless one with its id exists; true when it was new.</summary>
    public async Task<bool> EnqueueAsync(AlertOutboxItem item, DateTimeOffset due)
    {
        var added = (int)await Db.ScriptEvaluateAsync(EnqueueScript, [Items(item.Picture), Due(item.Picture)],
            [item.Id, Json(item), due.ToUnixTimeMilliseconds()]) == 1;
        if (added)
            await Db.SetAddAsync(Pictures, item.Picture);
        return added;
    }

    public async Task<IReadOnlyList<string>> PicturesAsync() => [.. (await Db.SetMembersAsync(Pictures)).Select(v => v.ToString())];

    /// <summary>Takes or renews this node's lease on a picture's outbox: null when another node holds it, true when just taken.</summary>
    public async Task<bool?> LeaseAsync(string picture, string owner, TimeSpan length, DateTimeOffset now)
    {
        var answer = (int)await Db.ScriptEvaluateAsync(LeaseScript, [Lease(picture), Due(picture), InFlight(picture)],
            [owner, (long)length.TotalMilliseconds, now.ToUnixTimeMilliseconds()]);
        return answer switch { 0 => null, 2 => true, _ => false };
    }

    /// <summary>Lets the lease go (a node stopping), so the next holder need not wait for it to run out.</summary>
    public Task ReleaseAsync(string picture, string owner) =>
        Db.ScriptEvaluateAsync("if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end return 1", [Lease(picture)], [owner]);

    /// <summary>Up to <paramref name="limit"/> items due by now, moved in flight; none unless <paramref name="owner"/> holds the lease.</summary>
    /// <param name="orphanedAfter">How long an item may be in flight before it counts as orphaned (well past a try's timeout).</param>
    public async Task<IReadOnlyList<AlertOutboxItem>> ClaimAsync(string picture, string owner, DateTimeOffset now, int limit, TimeSpan orphanedAfter)
    {
        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(ClaimScript, [Lease(picture), Due(picture), InFlight(picture), Items(picture)],
            [owner, now.ToUnixTimeMilliseconds(), limit, (now - orphanedAfter).ToUnixTimeMilliseconds()]))!;
        return [.. result.Select(r => JsonSerializer.Deserialize<AlertOutboxItem>((string)r!, DomainJson.Options)!)];
    }

    /// <summary>Keeps what the channel answered while the item stays in flight (one write, right after the answer).</summary>
    public Task MarkSentAsync(AlertOutboxItem item) => Db.HashSetAsync(Items(item.Picture), item.Id, Json(item));

    /// <summary>The item out of flight: done, or due again at <paramref name="dueAgain"/>.</summary>
    public Task SettleAsync(AlertOutboxItem item, DateTimeOffset? dueAgain) =>
        Db.ScriptEvaluateAsync(SettleScript, [Items(item.Picture), InFlight(item.Picture), Due(item.Picture)],
            [item.Id, Json(item), dueAgain is { } at ? at.ToUnixTimeMilliseconds() : ""]);

    /// <summary>Every item of a picture's outbox, for the operator's look and the tests.</summary>
    public async Task<IReadOnlyList<AlertOutboxItem>> ItemsAsync(string picture) =>
        [.. (await Db.HashValuesAsync(Items(picture))).Select(v => JsonSerializer.Deserialize<AlertOutboxItem>(v.ToString(), DomainJson.Options)!)];

    private static string Json(AlertOutboxItem item) => JsonSerializer.Serialize(item, DomainJson.Options);
}
