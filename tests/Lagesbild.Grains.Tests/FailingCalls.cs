using System.Collections.Concurrent;
using StackExchange.Redis;

namespace Lagesbild.Grains.Tests;

/// <summary>
/// Makes commands to chosen grains fail as if the store had gone (a Redis connection failure), so a test can
/// cut a chain of writes at a chosen link. Keyed by the grain's <c>picture/id</c>, so test classes that share
/// the process never see each other's failures.
/// </summary>
public sealed class FailingCalls : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, int> Failing = new(StringComparer.Ordinal);

    /// <summary>The next <paramref name="times"/> commands to the grain fail.</summary>
    public static void Fail(string grainKey, int times = 1) => Failing[grainKey] = times;

    public Task Invoke(IIncomingGrainCallContext context)
    {
        var key = context.TargetId.Key.ToString()!;
        if (context.MethodName == "Handle" && Failing.TryGetValue(key, out var left) && left > 0)
        {
            Failing[key] = left - 1;
            throw new RedisConnectionException(ConnectionFailureType.SocketFailure, $"The store was cut off for {key} (a test).");
        }
        return context.Invoke();
    }
}
