using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lagesbild.Testing;
using Microsoft.AspNetCore.SignalR;

namespace Lagesbild.Access.Tests;

/// <summary>What the server answered a command, over HTTP or over the hub: accepted with its sequence number, or refused with a status and a reason.</summary>
public sealed record Answer(int Status, string? Detail, long? Seq)
{
    public bool Accepted => Status is >= 200 and < 300;

    public static async Task<Answer> OfAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        return Parse(text) is { } json
            ? new Answer(status, Text(json, "detail"), response.IsSuccessStatusCode ? Number(json, "seq") : null)
            : new Answer(status, null, null);
    }

    public static Answer Of(JsonElement accepted) => new(200, null, Number(accepted, "seq"));

    /// <summary>
    /// A refusal over the hub: the HubException carries the ProblemDetails as JSON, after the
    /// text SignalR puts in front ("An unexpected error occurred invoking 'Send' on the server.
    /// HubException: {…}"); the map's client reads it from the first brace the same way.
    /// </summary>
    public static Answer Of(HubException refusal) =>
        refusal.Message.IndexOf('{') is var start and >= 0 && Parse(refusal.Message[start..]) is { ValueKind: JsonValueKind.Object } json && Number(json, "status") is { } status
            ? new Answer((int)status, Text(json, "detail"), null)
            : new Answer(0, refusal.Message, null);

    private static JsonElement? Parse(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}

/// <summary>One command as both transports carry it: a route and body for HTTP, a type, target and body for the hub.</summary>
public sealed record CommandRequest(string Type, string Target, string Method, string Path, JsonObject Body, string? IdInBody = null)
{
    public async Task<Answer> SendAsync(HttpClient http, string picture = "live")
    {
        var body = Body.DeepClone().AsObject();
        if (IdInBody is not null)
            body.Insert(0, "id", IdInBody);
        using var response = await http.SendJsonAsync(Method, $"api/pictures/{picture}/{Path}", body.ToJsonString());
        return await Answer.OfAsync(response);
    }

    public async Task<Answer> SendAsync(LiveClient hub)
    {
        try
        {
            return Answer.Of(await hub.SendAsync(Target, HubCommand()));
        }
        catch (HubException refusal)
        {
            return Answer.Of(refusal);
        }
    }

    /// <summary>The hub's <c>{ type, ...body }</c>.</summary>
    public JsonElement HubCommand()
    {
        var command = Body.DeepClone().AsObject();
        command.Insert(0, "type", Type);
        return JsonDocument.Parse(Encoding.UTF8.GetBytes(command.ToJsonString())).RootElement.Clone();
    }
}

public static class HubConnecting
{
    /// <summary>Connects and joins the live picture: 200, or the status the server refused the connection with (401, 403).</summary>
    public static async Task<int> ConnectStatusAsync(this LiveClient client)
    {
        try
        {
            await client.ConnectAsync();
            return 200;
        }
        catch (Exception error) when (RefusedWith(error) is { } status)
        {
            return status;
        }
    }

    /// <summary>A refused WebSocket says "status code '403'", a refused negotiation "403 (Forbidden)".</summary>
    private static int? RefusedWith(Exception error)
    {
        var text = error.ToString();
        return new[] { 401, 403, 404, 429 }.Cast<int?>().FirstOrDefault(status => text.Contains($"'{status}'") || text.Contains($"{status} ("));
    }
}
