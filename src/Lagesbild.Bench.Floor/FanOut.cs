using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Lagesbild.Bench.Floor;

/// <summary>
/// The connections watching the picture, and the one place a change is numbered and framed:
/// numbering, framing and handing the frame to every queue happen under one lock, so a
/// joining map's snapshot and the deltas after it never overlap or leave a gap.
/// </summary>
public sealed class FanOut
{
    private readonly object _gate = new();
    private readonly List<FloorConnection> _connections = [];
    private long _seq;

    public long Seq => Interlocked.Read(ref _seq);

    /// <summary>Numbers the change, frames it once as a hub invocation of <c>delta</c>, and queues those bytes on every connection.</summary>
    public (long Seq, string EventId) Publish(string point, byte[] report)
    {
        lock (_gate)
        {
            var seq = ++_seq;
            var eventId = Guid.NewGuid().ToString("N");
            var frame = Frame(seq, eventId, point, report);
            foreach (var connection in _connections)
                connection.Enqueue(frame);
            return (seq, eventId);
        }
    }

    /// <summary>Adds a connection with the snapshot it starts from: the deltas it is given next follow it without a gap.</summary>
    public void Join(FloorConnection connection, string invocationId)
    {
        lock (_gate)
        {
            _connections.Remove(connection);
            _connections.Add(connection);
            var snapshot = "{\"type\":1,\"target\":\"snapshot\",\"arguments\":[{\"picture\":\"live\",\"seq\":" + _seq + ",\"eventId\":\"floor-" + _seq + "\",\"entities\":[]}]}\u001e";
            var completion = "{\"type\":3,\"invocationId\":" + JsonSerializer.Serialize(invocationId) + ",\"result\":{\"picture\":\"live\",\"seq\":" + _seq + "}}\u001e";
            connection.Enqueue(Encoding.UTF8.GetBytes(snapshot + completion));
        }
    }

    public void Leave(FloorConnection connection)
    {
        lock (_gate)
            _connections.Remove(connection);
    }

    /// <summary>A delta of the same shape and about the size of Lagesbild's for a resources report.</summary>
    private static byte[] Frame(long seq, string eventId, string point, byte[] report)
    {
        var buffer = new ArrayBufferWriter<byte>(1536);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("type", 1);
            json.WriteString("target", "delta");
            json.WriteStartArray("arguments");
            json.WriteStartObject();
            json.WriteNumber("seq", seq);
            json.WriteString("id", eventId);
            json.WriteString("at", DateTimeOffset.UtcNow);
            json.WriteString("picture", "live");
            json.WriteString("kind", "SafetyPoint");
            json.WriteString("entityId", point);
            json.WriteString("type", "ResourcesReported");
            json.WriteString("command", Guid.NewGuid());
            json.WriteStartObject("actor");
            json.WriteString("name", "Anna Andersson");
            json.WriteString("role", "Central");
            json.WriteString("title", "Central krisledning, Stadsledningskontoret");
            json.WriteEndObject();
            json.WritePropertyName("change");
            json.WriteRawValue(report);
            json.WritePropertyName("state");
            json.WriteStartObject();
            json.WriteString("id", point);
            json.WriteString("name", point);
            json.WriteString("status", "Open");
            json.WriteString("district", point.Split('-')[0]);
            json.WriteString("address", "Adress saknas i golvet; storleken är Lagesbilds");
            json.WriteNumber("capacity", 120);
            json.WriteNumber("visitors", 0);
            json.WritePropertyName("resources");
            json.WriteRawValue(report);
            json.WriteString("updatedAt", DateTimeOffset.UtcNow);
            json.WriteString("hash", Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray()));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.Write("\u001e"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
