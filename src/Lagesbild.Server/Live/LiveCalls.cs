using System.Security.Claims;
using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Lagesbild.Server.Access;
using Lagesbild.Server.Api;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Live;

/// <summary>
/// What the hub's two methods do, whichever way the call came: our own WebSocket path
/// (<see cref="HubSocket"/>) or stock SignalR (<see cref="LiveHub"/>). A refusal is a
/// <see cref="HubException"/> carrying the ProblemDetails as JSON.
/// </summary>
public sealed class LiveCalls(
    LiveConnections connections,
    PictureFeeds feeds,
    PictureDirectory pictures,
    CommandBus bus,
    IOptions<LiveOptions> options,
    LiveMetrics metrics,
    Actors actors)
{
    public async Task<JoinAnswer> JoinAsync(string connectionId, ClaimsPrincipal user, string picture, long? afterSeq, string? afterEventId)
    {
        if (!await pictures.ExistsAsync(picture))
            throw Refused(PictureDirectory.Missing(picture));
        if (afterSeq < 0)
            throw Refused(Refusal.Invalid(new Dictionary<string, string[]> { ["afterSeq"] = ["Får inte vara negativt."] }));
        var connection = connections.Find(connectionId)
            ?? throw new HubException("Anslutningen är stängd.");
        var feed = await feeds.GetAsync(picture);
        var client = new ClientFeed(connection, feed, options.Value, metrics, Redaction.ReadershipOf(actors.Of(user)!.Role));
        connections.Watch(client);
        return new JoinAnswer(picture, client.Start(afterSeq, afterEventId));
    }

    public async Task<CommandAccepted> SendAsync(ClaimsPrincipal user, string picture, string target, JsonElement command)
    {
        if (!await pictures.ExistsAsync(picture))
            throw Refused(PictureDirectory.Missing(picture));
        Command? parsed;
        try
        {
            parsed = command.Deserialize<Command>(DomainJson.Options);
        }
        catch (Exception error) when (error is JsonException or NotSupportedException)
        {
            // Explained against the command the message names, so a wrong field is named with what it should be.
            var named = command.ValueKind == JsonValueKind.Object && command.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? DomainJson.CommandType(type.GetString())
                : null;
            var (field, message) = DomainJson.Explain(error, named ?? typeof(Command));
            throw Refused(Refusal.Invalid(new Dictionary<string, string[]> { ["command"] = [$"Kommandot kunde inte läsas{(field.Length == 0 ? "" : $" (vid {field})")}: {message}"] }));
        }
        if (parsed is null)
            throw Refused(Refusal.Invalid(new Dictionary<string, string[]> { ["command"] = ["Måste anges."] }));

        var result = await bus.SendAsync(picture, target ?? "", parsed, actors.Of(user)!);
        return result.Refusal is { } refusal ? throw Refused(refusal) : CommandResponses.Accepted(result);
    }

    private static HubException Refused(Refusal refusal)
    {
        var problem = CommandResponses.Problem(refusal);
        return new HubException(JsonSerializer.Serialize(problem, problem.GetType(), DomainJson.Options));
    }
}
