using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Access;

/// <summary>
/// Checks, from start until it first succeeds, that the configured identity provider answers its
/// discovery document as the configured issuer and publishes signing keys. Until then the node is
/// not ready (ReadinessCheck says why) and a clear error is logged on every attempt, but it keeps
/// running: a provider that is down for a moment at start must not keep the crisis picture from
/// starting, and the public view needs no sign-in. Settings that are wrong as written refuse the
/// start instead (<see cref="AuthOptions.StartRefusal"/>).
/// </summary>
public sealed class ProviderDiscovery(IOptions<AuthOptions> options, ILogger<ProviderDiscovery> log, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    private volatile string? _problem = options.Value.UsesProvider ? "Identitetsleverantören har inte kontrollerats än." : null;

    /// <summary>Why sign-in through the provider cannot work yet (Swedish, for /health/ready), or null.</summary>
    public string? Problem => _problem;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var auth = options.Value;
        if (!auth.UsesProvider)
            return;
        using var http = new HttpClient { Timeout = AttemptTimeout };
        var pause = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            _problem = await CheckAsync(http, auth, stopping);
            if (_problem is null)
            {
                log.LogInformation("Identity provider {Authority} answers as configured: sign-in is available", auth.Authority);
                return;
            }
            log.LogError("Sign-in is not available, the node is not ready: {Problem} (Lagesbild:Auth:Authority={Authority}; trying again in {Pause})",
                _problem, auth.Authority, pause);
            await Task.Delay(pause, time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
        }
    }

    private static async Task<string?> CheckAsync(HttpClient http, AuthOptions auth, CancellationToken stopping)
    {
        var address = auth.Authority!.TrimEnd('/') + "/.well-known/openid-configuration";
        JsonElement discovery;
        try
        {
            using var response = await http.GetAsync(address, stopping);
            if (!response.IsSuccessStatusCode)
                return $"Identitetsleverantören svarade {(int)response.StatusCode} på {address}.";
            discovery = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stopping)).RootElement.Clone();
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !stopping.IsCancellationRequested)
        {
            return $"Identitetsleverantören går inte att nå på {address} ({error.Message}).";
        }
        catch (JsonException)
        {
            return $"{address} är inget discovery-dokument (inte JSON).";
        }
        var issuer = discovery.TryGetProperty("issuer", out var i) ? i.GetString() : null;
        if (issuer is null || !auth.ValidIssuers.Contains(issuer))
            return $"Identitetsleverantören på {address} uppger sig vara \"{issuer}\", inte den inställda Lagesbild:Auth:Authority \"{auth.Authority}\". " +
                "Ange leverantörens issuer exakt som den står i dess discovery-dokument.";
        if (!discovery.TryGetProperty("jwks_uri", out var jwks) || jwks.GetString() is not { } jwksUri)
            return $"Identitetsleverantörens discovery-dokument ({address}) anger inga signeringsnycklar (jwks_uri).";
        try
        {
            using var keys = await http.GetAsync(jwksUri, stopping);
            if (!keys.IsSuccessStatusCode)
                return $"Identitetsleverantörens signeringsnycklar ({jwksUri}) svarade {(int)keys.StatusCode}.";
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException && !stopping.IsCancellationRequested)
        {
            return $"Identitetsleverantörens signeringsnycklar ({jwksUri}) går inte att nå ({error.Message}).";
        }
        return null;
    }
}
