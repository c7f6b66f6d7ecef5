using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Lagesbild.Testing;

/// <summary>
/// A TCP proxy on loopback between a client and the server, so a test can do to a client
/// what networks do: cut it off (a dropped VPN), freeze it (a tablet gone to sleep, its
/// socket still open), black-hole it (a partition: nothing arrives, nothing is refused), or
/// squeeze it (a congested mobile link: little bandwidth, long delay). It sits as well
/// between a node and the store, or between two nodes' silos.
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int[] _targets;
    private int _next;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Upstream)> _pairs = [];
    private volatile bool _refusing;
    private volatile TaskCompletionSource _running = Completed();
    private volatile TaskCompletionSource _admitting = Completed();

    /// <summary>
    /// With several targets the proxy is a small load balancer: each new connection goes to
    /// the next target that accepts it, so clients of a dead node reconnect to a live one.
    /// </summary>
    public LoopbackProxy(params int[] targetPorts)
    {
        _targets = targetPorts;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>Bytes per second towards the client; 0 = unlimited.</summary>
    public int DownstreamBytesPerSecond { get; set; }

    /// <summary>One-way delay added to everything sent towards the client.</summary>
    public TimeSpan DownstreamDelay { get; set; }

    /// <summary>
    /// Small socket buffers, so a frozen client pushes back on the server within kilobytes
    /// rather than after the megabytes loopback would otherwise buffer.
    /// </summary>
    public int SocketBufferBytes { get; set; }

    private long _downstreamIn;
    private long _downstreamOut;

    /// <summary>Bytes read from the server and written to the client so far: where data waits when a client falls behind.</summary>
    public (long FromServer, long ToClient) Downstream => (Interlocked.Read(ref _downstreamIn), Interlocked.Read(ref _downstreamOut));

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

    /// <summary>Stops moving bytes either way; sockets stay open, as with a frozen device.</summary>
    public void Freeze()
    {
        if (_running.Task.IsCompleted)
            _running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Thaw() => _running.TrySetResult();

    /// <summary>
    /// A partition: bytes stop moving either way and new connections get no further than the
    /// listener, but nothing is closed or refused, so both ends learn of it only by their
    /// timeouts; what was sent arrives after <see cref="Pass"/>, as TCP retransmits it.
    /// </summary>
    public void BlackHole()
    {
        if (_admitting.Task.IsCompleted)
            _admitting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Freeze();
    }

    /// <summary>Ends a black hole, a cut or a freeze: bytes and connections pass again.</summary>
    public void Pass()
    {
        Restore();
        Thaw();
        _admitting.TrySetResult();
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

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
            if (_admitting.Task.IsCompleted)
                await ConnectAsync(client);
            else
                _ = AdmitLaterAsync(client);
        }
    }

    private async Task AdmitLaterAsync(TcpClient client)
    {
        try
        {
            await _admitting.Task.WaitAsync(_stop.Token);
        }
        catch (OperationCanceledException)
        {
            client.Dispose();
            return;
        }
        await ConnectAsync(client);
    }

    private async Task ConnectAsync(TcpClient client)
    {
        var upstream = await ConnectUpstreamAsync();
        if (upstream is null)
        {
            client.Dispose();
            return;
        }
        if (SocketBufferBytes > 0)
            client.SendBufferSize = SocketBufferBytes;
        lock (_pairs)
            _pairs.Add((client, upstream));
        _ = Pump(client.GetStream(), upstream.GetStream(), towardsClient: false);
        _ = Pump(upstream.GetStream(), client.GetStream(), towardsClient: true);
    }

    private async Task<TcpClient?> ConnectUpstreamAsync()
    {
        for (var attempt = 0; attempt < _targets.Length; attempt++)
        {
            var port = _targets[Interlocked.Increment(ref _next) % _targets.Length];
            var upstream = new TcpClient();
            if (SocketBufferBytes > 0)
                upstream.ReceiveBufferSize = SocketBufferBytes;
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, port);
                return upstream;
            }
            catch (SocketException)
            {
                upstream.Dispose();
            }
        }
        return null;
    }

    private async Task Pump(NetworkStream from, NetworkStream to, bool towardsClient)
    {
        // Reading and writing are separate so a delay is a delay in the pipe, not a pause
        // between reads: a link with 300 ms latency still carries its full bandwidth.
        var chunks = Channel.CreateBounded<(byte[] Data, long Due)>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            try
            {
                await foreach (var (data, due) in chunks.Reader.ReadAllAsync(_stop.Token))
                {
                    var wait = TimeSpan.FromTicks(due - DateTime.UtcNow.Ticks);
                    if (wait > TimeSpan.Zero)
                        await Task.Delay(wait, _stop.Token);
                    await _running.Task.WaitAsync(_stop.Token);
                    await to.WriteAsync(data, _stop.Token);
                    if (towardsClient)
                        Interlocked.Add(ref _downstreamOut, data.Length);
                    if (towardsClient && DownstreamBytesPerSecond > 0)
                        await Task.Delay(TimeSpan.FromSeconds((double)data.Length / DownstreamBytesPerSecond), _stop.Token);
                }
            }
            catch
            {
            }
            finally
            {
                to.Dispose();
            }
        });
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                await _running.Task.WaitAsync(_stop.Token);
                var size = towardsClient && DownstreamBytesPerSecond > 0 ? Math.Clamp(DownstreamBytesPerSecond / 20, 256, buffer.Length) : buffer.Length;
                var read = await from.ReadAsync(buffer.AsMemory(0, size), _stop.Token);
                if (read == 0)
                    break;
                if (towardsClient)
                    Interlocked.Add(ref _downstreamIn, read);
                var due = DateTime.UtcNow.Ticks + (towardsClient ? DownstreamDelay.Ticks : 0);
                await chunks.Writer.WriteAsync((buffer[..read], due), _stop.Token);
            }
        }
        catch
        {
        }
        finally
        {
            chunks.Writer.TryComplete();
            await writer;
            from.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
    }
}
