using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Lagesbild.Server.Alerts;

/// <summary>
/// Alerts from outside (<c>Lagesbild:CapIntake</c>): who may post CAP 1.2 messages, with the secret each signs with,
/// and where the CAP schema is read from; checked at start (the schema is loaded then, so a wrong path stops the start).
/// </summary>
public sealed partial class CapIntakeOptions : IValidatableObject
{
    public const string Section = "Lagesbild:CapIntake";

    /// <summary>Whether the intake answers at all; off, every message is refused with 404.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The directory holding <c>CAP-v1.2.xsd</c>. A relative path is looked for beside the working directory and
    /// the server's own directory and each of their parents, so the default finds the shared standards beside the
    /// repository in development; in production give an absolute path.
    /// </summary>
    public string SchemaDirectory { get; set; } = Path.Combine("..", "shared", "standards", "cap");

    /// <summary>The largest body taken; a CAP message with a few polygons is a few kilobytes.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How far a signature's timestamp may be from now: an older (or replayed) signed request is refused.</summary>
    [Range(10, 3600)]
    public int ReplayWindowSeconds { get; set; } = 300;

    /// <summary>How far in the future a message's <c>sent</c> may be (clocks differ a little, never by hours).</summary>
    [Range(0, 3600)]
    public int SentAheadToleranceSeconds { get; set; } = 300;

    /// <summary>The senders (SOS Alarm, räddningstjänsten, Krisinformation …), each with its own secret.</summary>
    public List<CapSender> Senders { get; set; } = [];

    public const int ShortestSecret = 32;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
            yield break;
        if (Senders.Count == 0)
            yield return new ValidationResult($"{Section}:Senders: minst en avsändare behövs när mottagningen är på.", [nameof(Senders)]);
        for (var i = 0; i < Senders.Count; i++)
        {
            var sender = Senders[i];
            if (sender.Id is null || !SenderId().IsMatch(sender.Id))
                yield return new ValidationResult($"{Section}:Senders:{i}:Id: 1–40 små bokstäver a–z, siffror och bindestreck.", [nameof(Senders)]);
            if (string.IsNullOrWhiteSpace(sender.Name))
                yield return new ValidationResult($"{Section}:Senders:{i}:Name saknas: namnet visas i jourvyn.", [nameof(Senders)]);
            if (sender.Secret is not { Length: >= ShortestSecret })
                yield return new ValidationResult($"{Section}:Senders:{i}:Secret: minst {ShortestSecret} tecken.", [nameof(Senders)]);
        }
        foreach (var twice in Senders.Where(s => s.Id is not null).GroupBy(s => s.Id).Where(g => g.Count() > 1))
            yield return new ValidationResult($"{Section}:Senders: avsändaren {twice.Key} finns två gånger.", [nameof(Senders)]);
        string? problem;
        try
        {
            problem = CapSchema.Load(SchemaDirectory).Problem;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Xml.XmlException or System.Xml.Schema.XmlSchemaException)
        {
            problem = $"CAP-schemat kunde inte läsas: {error.Message}";
        }
        if (problem is not null)
            yield return new ValidationResult($"{Section}:SchemaDirectory: {problem}", [nameof(SchemaDirectory)]);
    }

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex SenderId();
}
