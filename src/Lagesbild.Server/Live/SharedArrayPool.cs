using System.Reflection;

namespace Lagesbild.Server.Live;

/// <summary>
/// How many arrays of each size the runtime's shared array pool keeps per core. SignalR's
/// per-connection pipes rent every write's 4 KB segment from that pool and hand it back once
/// the socket has sent it. The runtime keeps 32 per core; when a turn writes to thousands of
/// connections at once, thousands of segments are out together, so nearly every write
/// allocated a fresh array and the rest became garbage: at 10,000 maps 170 MB/s, and the
/// server paused in the garbage collector a fifth of the time. With 1,024 per core they are
/// reused (8 MB at most on two cores, and the runtime trims what stays unused).
/// </summary>
public static class SharedArrayPool
{
    public const string Variable = "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION";
    public const int ArraysPerCore = 1024;

    /// <summary>
    /// Sets the limit unless the operator set one. The runtime reads it once, when the pool is
    /// first used, so this must run first thing in Main.
    /// </summary>
    public static void Configure()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Environment.SetEnvironmentVariable(Variable, ArraysPerCore.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The limit in effect, as the runtime read it; null if this runtime does not say.</summary>
    public static int? InEffect() =>
        typeof(object).Assembly.GetType("System.Buffers.SharedArrayPoolStatics")
            ?.GetField("s_maxArraysPerPartition", BindingFlags.Static | BindingFlags.NonPublic)
            ?.GetValue(null) as int?;
}
