using System.ComponentModel.DataAnnotations;

namespace Lagesbild.Server.Cluster;

/// <summary>When a node that cannot reach the store steps aside (see <see cref="StoreWatch"/>).</summary>
public sealed class StepAsideOptions : IValidatableObject
{
    public const string Section = "Lagesbild:Cluster:StepAside";

    /// <summary>
    /// Time without an answer from the store before this node hands its entities to the other
    /// nodes. Shorter than the store client's 5 s timeout, so the commands a cut-off node holds
    /// are given up then and sent after their entity to a healthy node (CommandBus), and no
    /// entity stays unwritable much longer than this; long enough that a store restart or a
    /// failover of a second or two does not shuffle every entity.
    /// </summary>
    [Range(0.5, 600)]
    public double AfterSeconds { get; set; } = 3;

    /// <summary>How often the store is asked whether it answers.</summary>
    [Range(50, 10_000)]
    public int ProbeMilliseconds { get; set; } = 250;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProbeMilliseconds >= AfterSeconds * 1000)
            yield return new ValidationResult("Lagret måste frågas oftare än tiden innan noden kliver åt sidan.", [nameof(ProbeMilliseconds), nameof(AfterSeconds)]);
    }
}
