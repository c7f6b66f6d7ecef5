using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Lagesbild.Server.Cluster;

/// <summary>This node's place in the cluster.</summary>
public sealed class ClusterSettings : IValidatableObject
{
    public const string Section = "Lagesbild:Cluster";

    /// <summary>Nodes with the same id on the same store form one cluster.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,59}$", ErrorMessage = "Små bokstäver, siffror och bindestreck.")]
    public string ClusterId { get; set; } = "lagesbild";

    /// <summary>The address other nodes reach this one at: an IP address, or "auto" for the host's own.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    public bool ListenOnAnyAddress { get; set; }

    /// <summary>
    /// The port the silo listens on when other nodes reach it through a different one (a
    /// port mapping, a proxy); 0 = <see cref="SiloPort"/>, the port it advertises.
    /// </summary>
    [Range(0, 65535)]
    public int SiloListenPort { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AdvertisedAddress != "auto" && !IPAddress.TryParse(AdvertisedAddress, out _))
            yield return new ValidationResult($"'{AdvertisedAddress}' är ingen IP-adress (eller \"auto\").", [nameof(AdvertisedAddress)]);
        if (SiloPort == GatewayPort)
            yield return new ValidationResult("Silons port och gatewayns port måste skilja sig.", [nameof(SiloPort), nameof(GatewayPort)]);
    }

    /// <summary>"auto" takes this host's first IPv4 address, as a container needs.</summary>
    public IPAddress ResolveAdvertisedAddress() =>
        AdvertisedAddress == "auto"
            ? Dns.GetHostAddresses(Dns.GetHostName()).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            : IPAddress.Parse(AdvertisedAddress);
}
