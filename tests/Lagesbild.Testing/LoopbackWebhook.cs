using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Testing;

/// <summary>How the test's webhook receiver answers.</summary>
public enum WebhookAnswer
{
    Ok,
    ServerError,
    /// <summary>Never answers (until the sender gives up and hangs up).</summary>
    Hang,
}

/// <summary>One POST the receiver got: the body, whether its signature was right, how it was answered.</summary>
public sealed record WebhookCall(DateTimeOffset At, string Body, bool SignatureValid, string? IdempotencyKey, int Answered);

/// <summary>
/// A real HTTP receiver (Kestrel on loopback) for the alert webhook. It checks the signature as a receiver is told to
/// in docs/protocol.md (HMAC-SHA256 of <c>timestamp.body</c> with its secret, the timestamp within five minutes) and
/// answers 200, 500, or nothing at all.
/// </summary>
public sealed class LoopbackWebhook : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<WebhookCall> _calls = [];

    private LoopbackWebhook(WebApplication app, string secret)
    {
        _app = app;
        Secret = secret;
    }

    public string Secret { get; }
    public WebhookAnswer Answer { get; set; } = WebhookAnswer.Ok;
    public Uri Url => new(_app.Urls.First() + "/larm");

    public IReadOnlyList<WebhookCall> Calls
    {
        get { lock (_calls) return [.. _calls]; }
    }

    public static async Task<LoopbackWebhook> StartAsync(string secret = "hemlighet-för-sms-gatewayen")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new LoopbackWebhook(app, secret);
        app.MapPost("/larm", receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task ReceiveAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var timestamp = http.Request.Headers["X-Lagesbild-Timestamp"].ToString();
        var signature = http.Request.Headers["X-Lagesbild-Signature"].ToString();
        var answer = Answer;
        var status = answer switch { WebhookAnswer.Ok => 200, WebhookAnswer.ServerError => 500, _ => 0 };
        lock (_calls)
            _calls.Add(new WebhookCall(DateTimeOffset.UtcNow, body, Verify(Secret, timestamp, signature, body), http.Request.Headers["Idempotency-Key"].ToString(), status));
        if (answer == WebhookAnswer.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, http.RequestAborted).ContinueWith(_ => { });
            return;
        }
        http.Response.StatusCode = status;
    }

    /// <summary>What a receiver does: recompute the HMAC over <c>timestamp.body</c>, compare in constant time, refuse an old timestamp.</summary>
    public static bool Verify(string secret, string timestamp, string signature, string body)
    {
        if (!long.TryParse(timestamp, out var seconds) || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
            return false;
        if (!signature.StartsWith("sha256=", StringComparison.Ordinal))
            return false;
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature["sha256=".Length..]);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
