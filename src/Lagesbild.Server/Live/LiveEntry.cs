using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Lagesbild.Server.Access;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Lagesbild.Server.Live;

/// <summary>
/// One committed loggbok entry as a node holds it: parsed once, with the hub message that
/// carries it serialized once and shared by every connection.
/// </summary>
public sealed class LiveEntry
{
    private LiveEntry(long seq, string eventId, DateTimeOffset at, string entityKey, byte[] utf8, string record, string state)
    {
        At = at;
        State = state;
        Seq = seq;
        EventId = eventId;
        EntityKey = entityKey;
        Utf8 = utf8;
        Record = record;
        Message = new SerializedHubMessage(new InvocationMessage(HubMethods.Delta, [new RawJson(utf8)]));
        // Most entries carry no internal note and no evaluation, and then every reader gets the very same message.
        ObserverMessage = Redaction.NeedsRedaction(utf8) ? Redacted(Readership.Partner, utf8) : Message;
        ParticipantMessage = Redaction.IsEvaluation(utf8) ? Redacted(Readership.Participant, utf8) : Message;
    }

    private static SerializedHubMessage Redacted(Readership readership, byte[] utf8) =>
        new(new InvocationMessage(HubMethods.Delta, [new RawJson(Encoding.UTF8.GetBytes(Redaction.For(readership, Encoding.UTF8.GetString(utf8))))]));

    public long Seq { get; }
    /// <summary>When the change was accepted.</summary>
    public DateTimeOffset At { get; }
    public string EventId { get; }
    /// <summary><c>Kind/id</c> of the entity the entry changed.</summary>
    public string EntityKey { get; }
    public byte[] Utf8 { get; }
    /// <summary>The entity's record after this entry, as a snapshot lists it.</summary>
    public string Record { get; }
    /// <summary>The entity's state after this entry, exactly as stored.</summary>
    public string State { get; }
    public SerializedHubMessage Message { get; }
    /// <summary>The same entry for partners: a note the city marked internal and an exercise's evaluation are left out.</summary>
    public SerializedHubMessage ObserverMessage { get; }
    /// <summary>The same entry for the city's desks: an exercise's evaluation is left out.</summary>
    public SerializedHubMessage ParticipantMessage { get; }

    public SerializedHubMessage MessageFor(Readership readership) => readership switch
    {
        Readership.Everything => Message,
        Readership.Participant => ParticipantMessage,
        _ => ObserverMessage,
    };

    /// <summary>The W3C traceparent of the request that made the change, when it was traced.</summary>
    public string? TraceParent { get; private init; }
    public int Size => Utf8.Length;

    /// <summary>The sequence number of a stored entry, read from its start (the store writes it first), or null.</summary>
    public static long? LeadingSeq(string json)
    {
        const string Head = "{\"seq\":";
        if (!json.StartsWith(Head, StringComparison.Ordinal))
            return null;
        var digits = json.AsSpan(Head.Length);
        var end = digits.IndexOfAnyExceptInRange('0', '9');
        return end > 0 && long.TryParse(digits[..end], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq) ? seq : null;
    }

    public static LiveEntry Parse(string json)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        var entity = root.GetProperty("entity");
        var kind = entity.GetProperty("kind").GetString()!;
        var id = entity.GetProperty("id").GetString()!;
        var seq = root.GetProperty("seq").GetInt64();
        var state = root.GetProperty("state").GetRawText();

        var buffer = new ArrayBufferWriter<byte>(utf8.Length);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Lagesbild.Domain.Picture.DomainJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", seq);
            writer.WriteString("kind", kind);
            writer.WriteString("id", id);
            writer.WritePropertyName("at");
            root.GetProperty("at").WriteTo(writer);
            writer.WritePropertyName("by");
            root.GetProperty("actor").GetProperty("name").WriteTo(writer);
            writer.WritePropertyName("state");
            writer.WriteRawValue(state, skipInputValidation: true);
            writer.WriteEndObject();
        }
        return new LiveEntry(seq, root.GetProperty("id").GetString()!, root.GetProperty("at").GetDateTimeOffset(), $"{kind}/{id}", utf8, Encoding.UTF8.GetString(buffer.WrittenSpan), state)
        {
            TraceParent = root.TryGetProperty("trace", out var trace) ? trace.GetString() : null,
        };
    }
}
