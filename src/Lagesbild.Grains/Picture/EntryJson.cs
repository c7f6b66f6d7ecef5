using System.Buffers;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// Writes a loggbok entry and an entity record as JSON, minus the leading <c>{"seq":N,</c>
/// which the store's script prepends once it has handed out the sequence number.
/// </summary>
public static class EntryJson
{
    public static (string EntryTail, string RecordTail) Write<TState>(
        string picture, EntityRef entity, string? district, Guid eventId, Guid commandId, DateTimeOffset at,
        Actor actor, string? reason, bool internalReason, Change change, TState state, string? traceParent = null)
    {
        var stateJson = JsonSerializer.SerializeToUtf8Bytes(state, DomainJson.Options);

        var entry = Tail(writer =>
        {
            writer.WriteString("id", eventId.ToString("N"));
            writer.WriteString("picture", picture);
            writer.WriteString("at", at);
            // Which request made the change: a retried request is recognised by it, and an
            // audit can follow it back to the trace of that request.
            writer.WriteString("command", commandId.ToString("N"));
            if (traceParent is not null)
                writer.WriteString("trace", traceParent);
            writer.WriteStartObject("actor");
            writer.WriteString("name", actor.Name);
            writer.WriteString("role", actor.Role);
            if (actor.District is not null)
                writer.WriteString("district", actor.District);
            if (actor.Sector is not null)
                writer.WriteString("sector", actor.Sector);
            writer.WriteEndObject();
            writer.WriteStartObject("entity");
            writer.WriteString("kind", entity.Kind.ToString());
            writer.WriteString("id", entity.Id);
            writer.WriteEndObject();
            writer.WriteString("district", district);
            writer.WriteString("type", change.GetType().Name);
            writer.WriteString("reason", string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
            if (internalReason && !string.IsNullOrWhiteSpace(reason))
                writer.WriteBoolean("internal", true);
            writer.WritePropertyName("change");
            JsonSerializer.Serialize(writer, change, change.GetType(), DomainJson.Options);
            writer.WritePropertyName("state");
            writer.WriteRawValue(stateJson, skipInputValidation: true);
        });

        var record = Tail(writer =>
        {
            writer.WriteString("kind", entity.Kind.ToString());
            writer.WriteString("id", entity.Id);
            writer.WriteString("at", at);
            writer.WriteString("by", actor.Name);
            writer.WritePropertyName("state");
            writer.WriteRawValue(stateJson, skipInputValidation: true);
        });
        return (entry, record);
    }

    private static string Tail(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = DomainJson.Options.Encoder }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        // Drop the opening brace: the store writes {"seq":N, in its place.
        return Encoding.UTF8.GetString(buffer.WrittenSpan[1..]);
    }

    /// <summary>Reads the sequence number from the front of a stored entry or record without parsing it all.</summary>
    public static long SeqOf(ReadOnlySpan<char> json)
    {
        const string head = "{\"seq\":";
        if (!json.StartsWith(head, StringComparison.Ordinal))
            throw new FormatException("A stored entry starts with its sequence number.");
        var rest = json[head.Length..];
        var end = rest.IndexOf(',');
        return long.Parse(rest[..end]);
    }
}
