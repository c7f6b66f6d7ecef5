using System.ComponentModel.DataAnnotations;

namespace Lagesbild.Server.Storage;

/// <summary>Where the picture is stored. No connection string means: start the embedded Garnet.</summary>
public sealed class StorageOptions
{
    public const string Section = "Lagesbild:Storage";

    /// <summary>A StackExchange.Redis connection string to an external Redis; empty = embedded Garnet.</summary>
    public string? Redis { get; set; }

    /// <summary>The embedded store's folder (its append-only file and checkpoints).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The embedded store's port on loopback; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int EmbeddedPort { get; set; }

    /// <summary>
    /// The password the embedded store demands. Empty (the default): a new random one every
    /// start, known to this process only. Set it only to let another process share this store
    /// (the benchmark's second node); letters and digits only, as it goes into a connection string.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9]{16,}$", ErrorMessage = "EmbeddedPassword: minst 16 bokstäver eller siffror.")]
    public string? EmbeddedPassword { get; set; }

    /// <summary>
    /// Wait until the embedded store's append-only file is committed to disk before a
    /// change is acknowledged (like Redis' appendfsync always). Off only loses changes on
    /// a machine crash, not on a process crash.
    /// </summary>
    public bool DurableAcknowledgement { get; set; } = true;

    /// <summary>
    /// On the embedded store, append through the registered procedure (one append-only-file
    /// entry per change) rather than the Lua script Redis runs (one entry per write in it).
    /// Off only to measure the difference.
    /// </summary>
    public bool GarnetAppendProcedure { get; set; } = true;

    public bool Embedded => string.IsNullOrWhiteSpace(Redis);
}
