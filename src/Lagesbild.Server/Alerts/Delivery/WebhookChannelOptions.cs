namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>The webhook channel (<c>Lagesbild:Alerts:Channels:Webhook</c>): named targets (an SMS gateway, the alarm system), each with its own secret.</summary>
public sealed class WebhookChannelOptions
{
    public bool Enabled { get; set; }
    public Dictionary<string, WebhookTarget> Targets { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>One receiver of the webhook: where to POST, and the secret the body's HMAC-SHA256 is made with.</summary>
public sealed class WebhookTarget
{
    public string? Url { get; set; }
    public string? Secret { get; set; }
}
