using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Lagesbild.Bench.Floor;

/// <summary>
/// One map: a bounded queue of frames written by one loop, so publishing never waits on a
/// socket; a map that lets 1,024 frames pile up is closed (Lagesbild resyncs it instead).
/// </summary>
public sealed class FloorConnection(WebSocket socket, FanOut fanOut)
{
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    public void Enqueue(byte[] frame)
    {
        if (!_queue.Writer.TryWrite(frame))
            _queue.Writer.TryComplete();
    }

    public async Task RunAsync(CancellationToken aborted)
    {
        var writing = WriteAsync();
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
            _queue.Writer.TryComplete();
            await writing;
        }
    }

    private async Task WriteAsync()
    {
        try
        {
            await foreach (var frame in _queue.Reader.ReadAllAsync())
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        catch (Exception error) when (error is WebSocketException or ObjectDisposedException)
        {
        }
        socket.Abort();
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
