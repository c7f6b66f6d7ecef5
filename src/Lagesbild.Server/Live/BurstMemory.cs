using System.Runtime.InteropServices;

namespace Lagesbild.Server.Live;

/// <summary>
/// Gives back what a burst of joins used. Every join sends a ~39 KB snapshot and allocates some
/// 45 KB of short-lived objects (the upgrade request, the token's validation, the handshake), so a
/// thousand maps reconnecting after a restart leave the collector's heap tens of megabytes larger,
/// the native heap grown in as many arenas as threads were busy, and the pools full of buffers
/// that will not be needed again until the next burst. An idle server allocates next to nothing,
/// so the collector never runs again to give any of it back: an idle connection then cost 40 KB
/// of resident memory at 1,000 maps against the 15 KB of objects it holds (BENCHMARKS.md, H38).
/// Once the burst is over (no new connection for <see cref="QuietMs"/>) one compacting collection
/// returns the heap's free space and the evicted pool blocks, and the C library is asked to
/// return its free pages.
/// </summary>
public sealed class BurstMemory(TimeProvider clock, ILogger<BurstMemory> logger)
{
    /// <summary>A burst this small leaves too little behind to be worth a collection.</summary>
    public const int MinimumJoins = 100;

    /// <summary>How long no new connection arrives before a burst counts as over.</summary>
    public const long QuietMs = 5_000;

    private int _joinsSinceSettled;
    private long _lastJoin;

    /// <summary>How many times the memory was given back.</summary>
    public int Settled { get; private set; }

    /// <summary>Counts a connection that was accepted.</summary>
    public void Joined()
    {
        Interlocked.Increment(ref _joinsSinceSettled);
        Volatile.Write(ref _lastJoin, clock.GetTimestamp());
    }

    /// <summary>Called by the node's timer: gives the memory back once a burst is over.</summary>
    public void Tick()
    {
        if (Volatile.Read(ref _joinsSinceSettled) < MinimumJoins)
            return;
        if (clock.GetElapsedTime(Volatile.Read(ref _lastJoin)).TotalMilliseconds < QuietMs)
            return;
        var joins = Interlocked.Exchange(ref _joinsSinceSettled, 0);
        Settled++;
        var before = Environment.WorkingSet;
        var paused = GC.GetTotalPauseDuration();
        GiveBack();
        logger.LogInformation("Gave back what {Joins} joins used: resident {Before} MB -> {After} MB, the collection paused {PauseMs} ms",
            joins, before >> 20, Environment.WorkingSet >> 20, (long)(GC.GetTotalPauseDuration() - paused).TotalMilliseconds);
    }

    private static void GiveBack()
    {
        // Aggressive: compacts every generation (the large-object heap too), frees the pinned blocks
        // the pools let go, and decommits the free regions instead of keeping them for allocations
        // that will not come. A background collection gives back next to nothing (BENCHMARKS.md, H38).
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }
}

/// <summary>The C library's heap (glibc on Linux; elsewhere these do nothing).</summary>
public static class NativeHeap
{
    private const int ArenaMax = -8; // M_ARENA_MAX in malloc.h

    /// <summary>
    /// At most two malloc arenas. glibc gives every thread that finds the others busy an arena of
    /// its own (up to eight per core), and what a burst of joins freed in them stays resident: at
    /// 1,000 maps that was 10–13 MB. The runtime and the server allocate little natively, so two
    /// arenas cost no measurable contention. Must run first thing in Main, before threads start.
    /// </summary>
    public static void Configure()
    {
        if (OperatingSystem.IsLinux())
            Call(() => mallopt(ArenaMax, 2));
    }

    /// <summary>Returns the heap's free pages to the system.</summary>
    public static void Trim()
    {
        if (OperatingSystem.IsLinux())
            Call(() => malloc_trim(0));
    }

    private static void Call(Func<int> call)
    {
        try
        {
            call();
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            // Another C library (musl has neither): its heap is left as it is.
        }
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code in the project for two calls.
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
