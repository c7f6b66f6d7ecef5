using System.Text.Json;
using Lagesbild.Domain.Assignments;
using StackExchange.Redis;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>A browser's push subscription (the Push API's <c>PushSubscription.toJSON()</c>: endpoint and keys).</summary>
public sealed record PushSubscriptionBody(string? Endpoint, PushSubscriptionKeys? Keys);

public sealed record PushSubscriptionKeys(string? P256dh, string? Auth);

/// <summary>The push subscriptions each person's pages made when she allowed notifications, kept in the store per person.</summary>
public sealed class PushSubscriptions(IConnectionMultiplexer redis)
{
    private static RedisKey Key(string person) => $"lb:push:{AssignmentRules.PersonName(person).ToLowerInvariant()}";

    private IDatabase Db => redis.GetDatabase();

    public Task AddAsync(string person, PushSubscriptionBody subscription) =>
        Db.HashSetAsync(Key(person), subscription.Endpoint, JsonSerializer.Serialize(subscription, JsonSerializerOptions.Web));

    public Task<bool> RemoveAsync(string person, string endpoint) => Db.HashDeleteAsync(Key(person), endpoint);

    public async Task<IReadOnlyList<PushSubscriptionBody>> OfAsync(string person) =>
        [.. (await Db.HashValuesAsync(Key(person))).Select(v => JsonSerializer.Deserialize<PushSubscriptionBody>(v.ToString(), JsonSerializerOptions.Web)!)];

    public async Task<bool> AnyAsync(string person) => await Db.HashLengthAsync(Key(person)) > 0;

    /// <summary>Why a subscription cannot be used, in the person's words; null when it can.</summary>
    public static string? Problem(PushSubscriptionBody? body)
    {
        if (body?.Endpoint is not { Length: > 0 and <= 2000 } endpoint || !Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme != "https" && !url.IsLoopback)
            return "endpoint saknas eller är ingen https-adress från webbläsarens pushtjänst.";
        if (body.Keys?.P256dh is not { Length: > 0 and <= 200 } || body.Keys.Auth is not { Length: > 0 and <= 100 })
            return "keys.p256dh och keys.auth behövs (som webbläsaren ger dem).";
        return null;
    }
}
