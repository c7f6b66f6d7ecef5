using StackExchange.Redis;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// The store could not be reached from the node that holds a grain. A StackExchange.Redis or
/// Garnet exception has no Orleans codec, so one thrown on node A for a request that node B
/// handles would reach B as a CodecNotFoundException and become a 500; this one crosses
/// silos with its reason, and every node answers it with 503 and Retry-After.
/// </summary>
[GenerateSerializer]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string reason, string node, bool handedOn = false)
        : base($"The store is unavailable from {node}: {reason}")
    {
        Reason = reason;
        Node = node;
        HandedOn = handedOn;
    }

    /// <summary>What the store's client said (type and message), for the log of the node that answers.</summary>
    [Id(0)]
    public string Reason { get; }

    /// <summary>The silo that could not reach the store.</summary>
    [Id(1)]
    public string Node { get; }

    /// <summary>
    /// The node stepped aside and is handing the entity to another node: the same command sent
    /// again in a moment reaches it there (see <see cref="CommandBus"/>).
    /// </summary>
    [Id(2)]
    public bool HandedOn { get; }

    /// <summary>Failures of the store's link or of the store itself, anywhere in an exception's chain.</summary>
    public static bool IsStoreFailure(Exception error) => error switch
    {
        StoreUnavailableException => false,
        RedisException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsStoreFailure),
        _ => error.InnerException is { } inner && IsStoreFailure(inner),
    };

    public static StoreUnavailableException From(Exception error, string node, bool handedOn = false) => new($"{error.GetType().Name}: {error.Message}", node, handedOn);
}
