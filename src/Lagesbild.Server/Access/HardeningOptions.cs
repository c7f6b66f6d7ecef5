namespace Lagesbild.Server.Access;

/// <summary>Rate limits, CORS: the hardening that is configuration.</summary>
public sealed class HardeningOptions
{
    public const string Section = "Lagesbild:Hardening";

    /// <summary>Requests per second one signed-in person may make (sustained); bursts up to 10×.</summary>
    public int RequestsPerSecondPerUser { get; set; } = 20;

    /// <summary>Requests per second from one network address (sustained); bursts up to 10×.</summary>
    public int RequestsPerSecondPerAddress { get; set; } = 50;

    /// <summary>
    /// Networks of the reverse proxies whose X-Forwarded-For/-Proto are believed (CIDR, e.g.
    /// "172.16.0.0/12"), so per-address limits count the real client, not the proxy.
    /// </summary>
    public string[] TrustedProxyNetworks { get; set; } = [];

    /// <summary>Origins allowed to call the API from another site; none by default.</summary>
    public string[] CorsOrigins { get; set; } = [];
}
