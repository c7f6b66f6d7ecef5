using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Lagesbild.Bench.Floor;

/// <summary>
/// One map. A frame is written on the thread that publishes it, straight to the socket, while the
/// socket takes it at once (no queue, no thread hop); only while a write is still under way are
/// frames queued, and the write that finishes sends them on. A map that lets 1,024 frames pile up
/// is closed (Lagesbild resyncs it instead): publishing never waits on a socket.
/// </summary>
public sealed class FloorConnection(WebSocket socket, FanOut fanOut)
{
    private const int Bound = 1024;
    private readonly object _gate = new();
    private readonly Queue<byte[]> _pending = new();
    private bool _writing;
    private bool _closed;

    public void Enqueue(byte[] frame)
    {
        lock (_gate)
        {
            if (_closed)
                return;
            if (_writing)
            {
                if (_pending.Count >= Bound)
                    Close();
                else
                    _pending.Enqueue(frame);
                return;
            }
            _writing = true;
        }
        Write(frame);
    }

    /// <summary>Writes the frame and whatever queued behind it, for as long as the socket takes them at once.</summary>
    private void Write(byte[] frame)
    {
        while (true)
        {
            ValueTask sending;
            try
            {
                sending = socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                if (!sending.IsCompleted)
                {
                    _ = FinishThenWriteOnAsync(sending);
                    return;
                }
                sending.GetAwaiter().GetResult();
            }
            catch (Exception error) when (error is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                lock (_gate)
                    Close();
                return;
            }
            lock (_gate)
            {
                if (_closed || !_pending.TryDequeue(out frame!))
                {
                    _writing = false;
                    return;
                }
            }
        }
    }

    private async Task FinishThenWriteOnAsync(ValueTask sending)
    {
        byte[]? next;
        try
        {
            await sending;
        }
        catch (Exception error) when (error is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            lock (_gate)
                Close();
            return;
        }
        lock (_gate)
        {
            if (_closed || !_pending.TryDequeue(out next))
            {
                _writing = false;
                return;
            }
        }
        Write(next);
    }

    /// <summary>Under the gate.</summary>
    private void Close()
    {
        _closed = true;
        _pending.Clear();
        socket.Abort();
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        try
        {
            await ReadAsync(aborted);
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            fanOut.Leave(this);
            lock (_gate)
                Close();
        }
    }

    /// <summary>Hub messages end in 0x1E: the first is the handshake, a Join is answered with the snapshot; pings and the rest are ignored.</summary>
    private async Task ReadAsync(CancellationToken aborted)
    {
        var buffer = new byte[4096];
        var pending = new ArrayBufferWriter<byte>();
        var handshaken = false;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(), aborted);
            if (read.MessageType == WebSocketMessageType.Close)
                return;
            pending.Write(buffer.AsSpan(0, read.Count));
            int end;
            while ((end = pending.WrittenSpan.IndexOf((byte)0x1E)) >= 0)
            {
                var message = pending.WrittenSpan[..end].ToArray();
                var rest = pending.WrittenSpan[(end + 1)..].ToArray();
                pending.Clear();
                pending.Write(rest);
                if (!handshaken)
                {
                    handshaken = true;
                    Enqueue("{}\u001e"u8.ToArray());
                    continue;
                }
                using var hub = JsonDocument.Parse(message);
                if (hub.RootElement.TryGetProperty("target", out var target) && target.GetString() == "Join")
                    fanOut.Join(this, hub.RootElement.GetProperty("invocationId").GetString() ?? "");
            }
        }
    }
}
