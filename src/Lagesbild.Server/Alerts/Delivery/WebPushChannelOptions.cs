namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>The web push channel (<c>Lagesbild:Alerts:Channels:WebPush</c>): the city's VAPID key pair (base64url) and contact.</summary>
public sealed class WebPushChannelOptions
{
    public bool Enabled { get; set; }
    public string? Subject { get; set; }
    public string? PublicKey { get; set; }
    public string? PrivateKey { get; set; }
}
