using System.Net;
using System.Text.Json;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.Options;

namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// Web push (Lib.Net.Http.WebPush: VAPID, payload encrypted aes128gcm) to every subscription the person's pages made.
/// Delivered when a push service accepted it for one of them; a subscription the service says is gone (404, 410) is
/// forgotten; a 5xx, 429 or no answer is tried again.
/// </summary>
public sealed class WebPushAlertChannel(IOptions<AlertChannelOptions> options, PushSubscriptions subscriptions, IHttpClientFactory http) : IAlertChannel
{
    public const string HttpClientName = "alert-webpush";

    public string Name => "webpush";

    public async ValueTask<bool> ReachesAsync(string person, CancellationToken cancel) =>
        options.Value.WebPush.Enabled && await subscriptions.AnyAsync(person);

    public async Task<DeliveryOutcome> SendAsync(AlertDelivery delivery, CancellationToken cancel)
    {
        var push = options.Value.WebPush;
        var targets = await subscriptions.OfAsync(delivery.Person);
        if (targets.Count == 0)
            return DeliveryOutcome.Unreachable("ingen pushprenumeration");
        var client = new PushServiceClient(http.CreateClient(HttpClientName))
        {
            DefaultAuthentication = new VapidAuthentication(push.PublicKey, push.PrivateKey) { Subject = push.Subject },
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
        };
        var message = delivery.Message;
        var payload = JsonSerializer.Serialize(new
        {
            title = message.Subject,
            body = message.Body(delivery.Wave),
            tag = $"alert-{message.Picture}-{message.Alert}",
            url = message.Link,
            picture = message.Picture,
            alert = message.Alert,
        }, JsonSerializerOptions.Web);
        string? retry = null;
        string? gone = null;
        foreach (var target in targets)
        {
            var subscription = new PushSubscription { Endpoint = target.Endpoint };
            subscription.SetKey(PushEncryptionKeyName.P256DH, target.Keys!.P256dh);
            subscription.SetKey(PushEncryptionKeyName.Auth, target.Keys.Auth);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds));
            try
            {
                await client.RequestPushMessageDeliveryAsync(subscription, new PushMessage(payload) { Urgency = PushMessageUrgency.High, TimeToLive = 3600, Topic = null }, timeout.Token);
                return DeliveryOutcome.Delivered("pushtjänsten tog emot den");
            }
            catch (PushServiceClientException refused) when (refused.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                await subscriptions.RemoveAsync(delivery.Person, target.Endpoint!);
                gone = $"prenumerationen finns inte längre ({(int)refused.StatusCode})";
            }
            catch (PushServiceClientException refused) when ((int)refused.StatusCode >= 500 || refused.StatusCode is HttpStatusCode.TooManyRequests)
            {
                retry = $"pushtjänsten svarade {(int)refused.StatusCode}";
            }
            catch (PushServiceClientException refused)
            {
                gone = $"pushtjänsten tar inte emot den: {(int)refused.StatusCode}";
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                retry = $"pushtjänsten svarade inte inom {options.Value.SendTimeoutSeconds} s";
            }
            catch (HttpRequestException error)
            {
                retry = $"pushtjänsten nås inte: {error.Message}";
            }
        }
        return retry is not null ? DeliveryOutcome.Retry(retry) : DeliveryOutcome.Unreachable(gone ?? "ingen pushprenumeration");
    }
}
