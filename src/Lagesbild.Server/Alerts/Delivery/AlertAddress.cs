namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>A person's addresses outside Lagesbild: her e-mail and the webhook target that reaches her (an SMS gateway sends to her phone from the roster).</summary>
public sealed class AlertAddress
{
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Webhook { get; set; }
}
