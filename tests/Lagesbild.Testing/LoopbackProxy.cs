using System.Net;
using System.Net.Sockets;

namespace Lagesbild.Testing;

/// <summary>
/// A TCP proxy on loopback between a client and the server, so a test can cut a client off
/// the way a dropped VPN or a dead mobile link does, or slow it down.
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _pairs = [];
    private volatile bool _refusing;

    public LoopbackProxy(int targetPort)
    {
        _target = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>Bytes per second towards the client; 0 = unlimited.</summary>
    public int DownstreamBytesPerSecond { get; set; }

    /// <summary>Latency added to every chunk towards the client.</summary>
    public TimeSpan DownstreamDelay { get; set; }

    /// <summary>Drops every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _refusing = true;
        lock (_pairs)
        {
            foreach (var (client, upstream) in _pairs)
            {
                try
                {
                    // Reset, not a polite close: the client must not learn anything in time.
                    client.Client.LingerState = new LingerOption(true, 0);
                }
                catch (ObjectDisposedException)
                {
                }
                client.Dispose();
                upstream.Dispose();
            }
            _pairs.Clear();
        }
    }

    public void Restore() => _refusing = false;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch
            {
                return;
            }
            if (_refusing)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }
            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _target);
            }
            catch
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }
            lock (_pairs)
                _pairs.Add((client, upstream));
            _ = Pump(client.GetStream(), upstream.GetStream(), throttled: false);
            _ = Pump(upstream.GetStream(), client.GetStream(), throttled: true);
        }
    }

    private async Task Pump(NetworkStream from, NetworkStream to, bool throttled)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var chunk = throttled && DownstreamBytesPerSecond > 0 ? Math.Max(1, Math.Min(buffer.Length, DownstreamBytesPerSecond / 20)) : buffer.Length;
                var read = await from.ReadAsync(buffer.AsMemory(0, chunk), _stop.Token);
                if (read == 0)
                    break;
                if (throttled && DownstreamDelay > TimeSpan.Zero)
                    await Task.Delay(DownstreamDelay, _stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                if (throttled && DownstreamBytesPerSecond > 0)
                    await Task.Delay(TimeSpan.FromSeconds((double)read / DownstreamBytesPerSecond), _stop.Token);
            }
        }
        catch
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
    }
}
