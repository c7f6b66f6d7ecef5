using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Testing;

/// <summary>One push message as the push service received it: whether its VAPID header was valid for this service, and the payload decrypted.</summary>
public sealed record PushCall(DateTimeOffset At, string Subscription, bool VapidValid, string? VapidPublicKey, string? ContentEncoding, string? Payload);

/// <summary>
/// A push service on loopback, standing in for the browser vendor's: it hands out subscriptions (a browser's key pair and
/// auth secret, RFC 8291) and, for each push message, checks the VAPID Authorization header (RFC 8292: an ES256 JWT for
/// this origin, signed with the key named in <c>k</c>) and decrypts the aes128gcm payload (RFC 8188) as a browser would.
/// </summary>
public sealed class LoopbackPushService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<PushCall> _calls = [];
    private readonly Dictionary<string, (ECDiffieHellman Key, byte[] Auth)> _subscriptions = new(StringComparer.Ordinal);

    private LoopbackPushService(WebApplication app) => _app = app;

    public Uri Origin => new(_app.Urls.First());

    public IReadOnlyList<PushCall> Calls
    {
        get { lock (_calls) return [.. _calls]; }
    }

    public static async Task<LoopbackPushService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var service = new LoopbackPushService(app);
        app.MapPost("/push/{id}", service.ReceiveAsync);
        await app.StartAsync();
        return service;
    }

    /// <summary>A new subscription as the browser's <c>PushSubscription.toJSON()</c> gives it.</summary>
    public object Subscribe(string id)
    {
        var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var auth = RandomNumberGenerator.GetBytes(16);
        lock (_subscriptions)
            _subscriptions[id] = (key, auth);
        return new { endpoint = new Uri(Origin, $"/push/{id}").ToString(), keys = new { p256dh = Base64Url(PublicKey(key)), auth = Base64Url(auth) } };
    }

    private async Task ReceiveAsync(HttpContext http, string id)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var (vapidValid, vapidKey) = CheckVapid(http.Request.Headers.Authorization.ToString());
        var encoding = http.Request.Headers.ContentEncoding.ToString();
        string? payload = null;
        (ECDiffieHellman Key, byte[] Auth) subscription;
        lock (_subscriptions)
            _subscriptions.TryGetValue(id, out subscription);
        if (subscription.Key is not null && encoding == "aes128gcm")
            payload = Decrypt(buffer.ToArray(), subscription.Key, subscription.Auth);
        lock (_calls)
            _calls.Add(new PushCall(DateTimeOffset.UtcNow, id, vapidValid, vapidKey, encoding, payload));
        http.Response.StatusCode = subscription.Key is null ? 410 : 201;
    }

    /// <summary>RFC 8292: <c>vapid t=&lt;JWT&gt;, k=&lt;public key&gt;</c>, the JWT ES256-signed with that key, its audience this origin, not expired.</summary>
    private (bool, string?) CheckVapid(string header)
    {
        if (!header.StartsWith("vapid ", StringComparison.OrdinalIgnoreCase))
            return (false, null);
        var parts = header[6..].Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var token) || !parts.TryGetValue("k", out var k))
            return (false, null);
        var pieces = token.Split('.');
        if (pieces.Length != 3)
            return (false, k);
        var point = FromBase64Url(k);
        if (point.Length != 65 || point[0] != 4)
            return (false, k);
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
        if (!verifier.VerifyData(Encoding.ASCII.GetBytes($"{pieces[0]}.{pieces[1]}"), FromBase64Url(pieces[2]), HashAlgorithmName.SHA256))
            return (false, k);
        using var claims = JsonDocument.Parse(FromBase64Url(pieces[1]));
        var audience = claims.RootElement.GetProperty("aud").GetString();
        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        var origin = Origin.GetLeftPart(UriPartial.Authority);
        // Lib.Net.Http.WebPush writes the audience without the port (scheme://host). Real push services listen on 443,
        // where that is the origin; this one, on a loopback port, takes either.
        var audienceValid = audience == origin || audience == $"{Origin.Scheme}://{Origin.Host}";
        return (audienceValid && expires > DateTimeOffset.UtcNow && expires < DateTimeOffset.UtcNow.AddHours(24) && claims.RootElement.TryGetProperty("sub", out _), k);
    }

    /// <summary>RFC 8291 / 8188, one record: the header (salt, record size, the sender's key), then AES-128-GCM with keys from HKDF.</summary>
    private static string? Decrypt(byte[] body, ECDiffieHellman key, byte[] auth)
    {
        if (body.Length < 21 + 65 + 16 || body[20] != 65)
            return null;
        var salt = body[..16];
        var senderPoint = body[21..86];
        using var sender = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPoint[1..33], Y = senderPoint[33..] } });
        var shared = key.DeriveRawSecretAgreement(sender.PublicKey);
        var info = Encoding.ASCII.GetBytes("WebPush: info\0").Concat(PublicKey(key)).Concat(senderPoint).ToArray();
        var ikm = HKDF.Expand(HashAlgorithmName.SHA256, HKDF.Extract(HashAlgorithmName.SHA256, shared, auth), 32, info);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var cek = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));
        var sealedText = body[86..];
        var plain = new byte[sealedText.Length - 16];
        try
        {
            using var aes = new AesGcm(cek, 16);
            aes.Decrypt(nonce, sealedText[..^16], sealedText[^16..], plain);
        }
        catch (CryptographicException)
        {
            return null;
        }
        // The last record ends with the delimiter 0x02 and any padding zeros.
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0)
            end--;
        return end >= 0 && plain[end] == 2 ? Encoding.UTF8.GetString(plain, 0, end) : null;
    }

    private static byte[] PublicKey(ECDiffieHellman key)
    {
        var q = key.ExportParameters(false).Q;
        return [4, .. q.X!, .. q.Y!];
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stopping.Token);
        await _app.DisposeAsync();
    }
}
