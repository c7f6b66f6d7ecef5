using Lagesbild.Domain.Picture;
using StackExchange.Redis;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// Where one picture lives in Redis. Every key carries the picture in a hash tag, so a
/// picture stays in one slot on a Redis cluster and its Lua scripts stay atomic.
/// </summary>
public sealed class PictureKeys(string picture)
{
    public string Picture { get; } = picture;
    private string Prefix => $"lb:{{{Picture}}}:";

    /// <summary>The last sequence number handed out.</summary>
    public RedisKey Seq => Prefix + "seq";
    /// <summary>The loggbok: sequence number → entry JSON. Never rewritten.</summary>
    public RedisKey Log => Prefix + "log";
    /// <summary>Each entity's current record (the picture as of now).</summary>
    public RedisKey State => Prefix + "state";
    /// <summary>Each entity's last sequence number, for optimistic concurrency.</summary>
    public RedisKey Versions => Prefix + "ver";
    /// <summary>The loggbok's hash chain: sequence number → SHA-1(previous link .. entry), hex (see LoggbokChain).</summary>
    public RedisKey Chain => Prefix + "chain";
    /// <summary>Command ids already applied (id → "seq:request fingerprint"), so a retried command is not applied twice.</summary>
    public RedisKey CommandIds => Prefix + "cmd";
    /// <summary>Loggbok index by time: score = Unix milliseconds, member = sequence number.</summary>
    public RedisKey ByTime => Prefix + "ix:t";
    public RedisKey ByEntity(EntityRef entity) => Prefix + "ix:e:" + entity;
    public RedisKey ByDistrict(string district) => Prefix + "ix:d:" + district;
    /// <summary>Set once the picture has been given its configuration (districts, sectors, bodies).</summary>
    public RedisKey Seeded => Prefix + "seeded";
    /// <summary>Replay checkpoints: sequence number (a multiple of the interval) → every entity's record at it, as a JSON array.</summary>
    public RedisKey Checkpoints => Prefix + "replay";
    /// <summary>An exercise's name and description as given when it was created.</summary>
    public RedisKey About => Prefix + "about";
    /// <summary>An exercise's scenario (its MSEL) as last imported, JSON; secret to exercise control.</summary>
    public RedisKey Scenario => Prefix + "scenario";
    /// <summary>Where committed entries are announced to every node.</summary>
    public RedisChannel Channel => RedisChannel.Literal(Prefix + "events");

    public static RedisChannel AllChannels => RedisChannel.Pattern("lb:{*}:events");

    public static string? PictureOfChannel(string channel)
    {
        var open = channel.IndexOf('{');
        var close = channel.IndexOf('}');
        return open >= 0 && close > open ? channel[(open + 1)..close] : null;
    }
}
