using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// An HTTP webhook (an SMS gateway, the city's alarm system): a JSON body POSTed to the person's target, signed with
/// HMAC-SHA256 over <c>timestamp.body</c> with the target's secret (<see cref="Sign"/>; docs/protocol.md says how a
/// receiver checks it). A 2xx is delivered; a 5xx, 408, 429, a refused connection or no answer in time is tried again;
/// any other 4xx means the target will never take it.
/// </summary>
public sealed class WebhookAlertChannel(IOptions<AlertChannelOptions> options, IHttpClientFactory http, TimeProvider clock) : IAlertChannel
{
    public const string HttpClientName = "alert-webhook";
    public const string TimestampHeader = "X-Lagesbild-Timestamp";
    public const string SignatureHeader = "X-Lagesbild-Signature";

    public string Name => "webhook";

    public ValueTask<bool> ReachesAsync(string person, CancellationToken cancel) =>
        ValueTask.FromResult(options.Value.Webhook.Enabled && options.Value.AddressOf(person)?.Webhook is { Length: > 0 });

    public async Task<DeliveryOutcome> SendAsync(AlertDelivery delivery, CancellationToken cancel)
    {
        if (options.Value.AddressOf(delivery.Person)?.Webhook is not { } name || !options.Value.Webhook.Targets.TryGetValue(name, out var target))
            return DeliveryOutcome.Unreachable("inget webhook-mål");
        var message = delivery.Message;
        var body = JsonSerializer.Serialize(new
        {
            id = delivery.Key,
            picture = message.Picture,
            alert = message.Alert,
            exercise = message.Exercise,
            title = message.Title,
            severity = message.Severity.ToString(),
            text = message.Body(delivery.Wave),
            cause = message.Cause,
            raisedAt = message.RaisedAt,
            wave = delivery.Wave,
            person = delivery.Person,
            phone = delivery.Phone,
            link = message.Link,
        }, JsonSerializerOptions.Web);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, "sha256=" + Sign(target.Secret!, timestamp, body));
        request.Headers.Add("Idempotency-Key", delivery.Key);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds));
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
                return DeliveryOutcome.Delivered($"{name} svarade {status}");
            if (status >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                return DeliveryOutcome.Retry($"{name} svarade {status}");
            return DeliveryOutcome.Unreachable($"{name} tar inte emot larmet: {status}");
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return DeliveryOutcome.Retry($"{name} svarade inte inom {options.Value.SendTimeoutSeconds} s");
        }
        catch (HttpRequestException error)
        {
            return DeliveryOutcome.Retry($"{name} nås inte: {error.Message}");
        }
    }

    /// <summary>The signature a receiver recomputes: lower-case hex HMAC-SHA256 of <c>timestamp + "." + body</c> (UTF-8) with the target's secret.</summary>
    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
