using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Lagesbild.Server.Live;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Lagesbild.Server.Access;

/// <summary>
/// Tokens ended before their time: one token when its holder signs out (by its <c>jti</c>), or
/// every token of a person issued until a moment when central krisledning revokes them (by
/// <c>sub</c>). A revocation is kept in the store, shared by every node, until the tokens it
/// ends would have run out anyway, and announced, so that every node refuses them at once and
/// closes their live connections. Each node holds the revocations in memory: checking a token
/// costs no round trip to the store.
/// </summary>
/// <param name="store">
/// The store's connection as it is being made: the live hub's lifetime manager, built with the
/// endpoints before the host starts, needs this object, and waiting there for the embedded store
/// to start would hold up the silo's construction, which needs no store (issue 21, item 4).
/// </param>
public sealed class TokenRevocations(
    Task<IConnectionMultiplexer> store,
    LiveConnections connections,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<TokenRevocations> log) : IHostedService
{
    private const string KeyPrefix = "lagesbild:revoked:";
    private static readonly RedisChannel Channel = RedisChannel.Literal("lagesbild:revocations");
    /// <summary>Tokens are accepted this long past their expiry (the bearer options' clock skew); revocations are kept as long.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Revocation> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Revocation> _people = new(StringComparer.Ordinal);

    /// <summary>One revocation as stored and announced. Token: <c>Id</c> is the jti. Person: <c>Id</c> is the sub, and tokens issued up to <c>Before</c> are ended.</summary>
    private sealed record Revocation(string Kind, string Id, long Before, DateTimeOffset Until);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var redis = await store;
        // Subscribed before reading what is stored: one made in between is seen twice, never missed.
        await redis.GetSubscriber().SubscribeAsync(Channel, (_, message) => Apply(Parse(message)));
        var keys = new List<RedisKey>();
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsConnected && !server.IsReplica)
            {
                await foreach (var key in server.KeysAsync(pattern: KeyPrefix + "*").WithCancellation(cancellationToken))
                    keys.Add(key);
            }
        }
        if (keys.Count > 0)
        {
            foreach (var value in await redis.GetDatabase().StringGetAsync([.. keys]))
                Apply(Parse(value));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await (await store).GetSubscriber().UnsubscribeAsync(Channel);

    /// <summary>Whether the signed-in person's token has been ended (signed out, or revoked with all the person's tokens).</summary>
    public bool IsRevoked(ClaimsPrincipal user)
    {
        if (user.FindFirstValue("jti") is { } jti && _tokens.ContainsKey(jti))
            return true;
        return user.FindFirstValue("sub") is { } sub && _people.TryGetValue(sub, out var person) && IssuedAt(user) <= person.Before;
    }

    /// <summary>
    /// Signing out: ends the presented token. A token without a <c>jti</c> cannot be named
    /// alone, so then every token of the person issued up to it is ended.
    /// </summary>
    public Task SignOutAsync(ClaimsPrincipal user)
    {
        var sub = user.FindFirstValue("sub") ?? "";
        if (user.FindFirstValue("jti") is { } jti)
        {
            var expires = long.TryParse(user.FindFirstValue("exp"), CultureInfo.InvariantCulture, out var exp)
                ? DateTimeOffset.FromUnixTimeSeconds(exp)
                : time.GetUtcNow() + options.Value.TokenLifetime;
            return StoreAndAnnounceAsync(new Revocation("token", jti, 0, expires + ClockSkew));
        }
        return StoreAndAnnounceAsync(new Revocation("person", sub, IssuedAt(user), time.GetUtcNow() + options.Value.TokenLifetime + ClockSkew));
    }

    /// <summary>Ends every token of a person issued until now; returns that moment.</summary>
    public async Task<DateTimeOffset> RevokePersonAsync(string sub)
    {
        var now = time.GetUtcNow();
        await StoreAndAnnounceAsync(new Revocation("person", sub, now.ToUnixTimeSeconds(), now + options.Value.TokenLifetime + ClockSkew));
        return now;
    }

    private async Task StoreAndAnnounceAsync(Revocation revocation)
    {
        // Here at once, whatever the store takes; the other nodes when the announcement reaches them.
        Apply(revocation);
        var json = JsonSerializer.Serialize(revocation);
        var keep = revocation.Until - time.GetUtcNow();
        var redis = await store;
        await redis.GetDatabase().StringSetAsync(KeyPrefix + revocation.Kind + ":" + revocation.Id, json, keep > TimeSpan.Zero ? keep : TimeSpan.FromSeconds(1));
        await redis.GetSubscriber().PublishAsync(Channel, json);
    }

    private void Apply(Revocation? revocation)
    {
        if (revocation is null)
            return;
        var now = time.GetUtcNow();
        Forget(_tokens, now);
        Forget(_people, now);
        if (revocation.Until <= now)
            return;
        var closed = revocation.Kind switch
        {
            "token" => Close(_tokens, revocation, user => user.FindFirstValue("jti") == revocation.Id),
            "person" => Close(_people, revocation, user => user.FindFirstValue("sub") == revocation.Id && IssuedAt(user) <= revocation.Before),
            _ => 0,
        };
        if (closed > 0)
            log.LogInformation("Closed {Connections} live connections of a revoked {Kind}", closed, revocation.Kind);
    }

    private int Close(ConcurrentDictionary<string, Revocation> revocations, Revocation revocation, Func<ClaimsPrincipal, bool> ended)
    {
        revocations.AddOrUpdate(revocation.Id, revocation, (_, earlier) => earlier.Before >= revocation.Before && earlier.Until >= revocation.Until ? earlier : revocation);
        return connections.CloseWhere(ended);
    }

    /// <summary>Revocations whose tokens have all run out end nothing more.</summary>
    private static void Forget(ConcurrentDictionary<string, Revocation> revocations, DateTimeOffset now)
    {
        foreach (var (id, revocation) in revocations)
        {
            if (revocation.Until <= now)
                revocations.TryRemove(new KeyValuePair<string, Revocation>(id, revocation));
        }
    }

    /// <summary>When the token was issued; a token that does not say is taken as issued long ago.</summary>
    private static long IssuedAt(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue("iat"), CultureInfo.InvariantCulture, out var iat) ? iat : 0;

    private static Revocation? Parse(RedisValue value)
    {
        if (value.IsNullOrEmpty)
            return null;
        try
        {
            return JsonSerializer.Deserialize<Revocation>((string)value!);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The token was signed out or revoked (<see cref="TokenRevocations"/>).</summary>
public sealed class SecurityTokenRevokedException() : SecurityTokenException("The token has been revoked.");
