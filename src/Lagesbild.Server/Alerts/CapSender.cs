namespace Lagesbild.Server.Alerts;

/// <summary>One outside sender of CAP messages: its id (in the request's header), the name the duty view shows, and the HMAC secret it signs with.</summary>
public sealed class CapSender
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Secret { get; set; }
}
