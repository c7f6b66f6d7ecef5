using System.Buffers;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Lagesbild.Testing;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a loopback port that keeps every mail it accepted. It can be stopped
/// and started again on the same port (a mail server down for a while), refuse chosen addresses with 550, and take its
/// time before it answers a message.
/// </summary>
public sealed class LoopbackSmtp : IAsyncDisposable
{
    private readonly List<(DateTimeOffset At, MimeMessage Message)> _received = [];
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;
    private Task? _running;

    public LoopbackSmtp(int? port = null) => Port = port ?? Ports.Free();

    public int Port { get; }

    /// <summary>
    /// A server's settings for alerts by e-mail to this server: the sector rule on, no escalation within the
    /// test, Per Lind (the demo TiB) at <paramref name="perEmail"/>. Callers add what their case needs.
    /// </summary>
    public Dictionary<string, string> AlertSettings(string perEmail = "per.lind@stockholm.example") => new()
    {
        ["Lagesbild:Alerts:Enabled"] = "true",
        ["Lagesbild:Alerts:Rules:0"] = "SectorDown",
        ["Lagesbild:Alerts:EscalateAfterSeconds"] = "3600",
        ["Lagesbild:Alerts:Channels:Smtp:Enabled"] = "true",
        ["Lagesbild:Alerts:Channels:Smtp:Host"] = "127.0.0.1",
        ["Lagesbild:Alerts:Channels:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Lagesbild:Alerts:Channels:Smtp:Security"] = "None",
        ["Lagesbild:Alerts:Channels:Smtp:From"] = "Lagesbild <larm@stockholm.example>",
        ["Lagesbild:Alerts:Channels:People:0:Name"] = "Per Lind",
        ["Lagesbild:Alerts:Channels:People:0:Email"] = perEmail,
    };

    /// <summary>Addresses answered 550 at RCPT (a permanently bad address).</summary>
    public HashSet<string> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long the server waits after the message's data before it answers 250.</summary>
    public TimeSpan AnswerAfter { get; set; } = TimeSpan.Zero;

    /// <summary>How long the server waits before it answers a RCPT: a delivery under way that has not been accepted.</summary>
    public TimeSpan HoldRecipientsFor { get; set; } = TimeSpan.Zero;

    private int _held;

    /// <summary>How many RCPTs have been held so far.</summary>
    public int Held => Volatile.Read(ref _held);

    public bool IsRunning => _server is not null;

    public IReadOnlyList<(DateTimeOffset At, MimeMessage Message)> Received
    {
        get { lock (_received) return [.. _received]; }
    }

    public static async Task<LoopbackSmtp> StartAsync()
    {
        var smtp = new LoopbackSmtp();
        await smtp.StartAgainAsync();
        return smtp;
    }

    public async Task StartAgainAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint => endpoint.Endpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = _server.StartAsync(_stop.Token);
        // Listening once a connection is taken.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"The SMTP server did not listen on {Port}.");
    }

    /// <summary>Stops listening: a client's connection is refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
            return;
        _server.Shutdown();
        _stop!.Cancel();
        try
        {
            await _running!.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
        _server = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Filter(LoopbackSmtp owner) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public async Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            if (owner.HoldRecipientsFor > TimeSpan.Zero)
            {
                Interlocked.Increment(ref owner._held);
                await Task.Delay(owner.HoldRecipientsFor, cancellationToken);
            }
            return !owner.Refused.Contains(to.AsAddress());
        }
    }

    private sealed class Store(LoopbackSmtp owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            if (owner.AnswerAfter > TimeSpan.Zero)
                await Task.Delay(owner.AnswerAfter, cancellationToken);
            // Kept as it is answered: a client that hung up before the 250 could not know it was taken.
            lock (owner._received)
                owner._received.Add((DateTimeOffset.UtcNow, message));
            return SmtpResponse.Ok;
        }
    }
}
