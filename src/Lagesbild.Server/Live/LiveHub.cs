using System.Text.Json;
using Lagesbild.Server.Api;
using Microsoft.AspNetCore.SignalR;

namespace Lagesbild.Server.Live;

/// <summary>
/// The live picture over SignalR. A client joins a picture and from then on receives, through
/// one ordered queue, a snapshot (or exactly what it missed) followed by every delta. It can
/// also send the same commands as the HTTP API, through the same path. A WebSocket is served by
/// our own path (<see cref="HubSocket"/>), which binds its calls to these signatures; stock
/// SignalR serves server-sent events.
/// </summary>
public sealed class LiveHub(LiveCalls calls) : Hub
{
    public Task<JoinAnswer> Join(string picture, long? afterSeq, string? afterEventId) =>
        calls.JoinAsync(Context.ConnectionId, Context.User!, picture, afterSeq, afterEventId);

    public Task<CommandAccepted> Send(string picture, string target, JsonElement command) =>
        calls.SendAsync(Context.User!, picture, target, command);
}

public sealed record JoinAnswer(string Picture, string Mode);
