using System.Runtime.InteropServices;

namespace Lagesbild.Server.Live;

/// <summary>The C library's heap (glibc on Linux; elsewhere this does nothing).</summary>
public static class NativeHeap
{
    private const int ArenaMax = -8; // M_ARENA_MAX in malloc.h

    /// <summary>
    /// At most two malloc arenas. glibc gives every thread that finds the others busy an arena of
    /// its own (up to eight per core), and a burst of joins is such a moment: what was freed in
    /// the new arenas stays resident for as long as the server runs (BENCHMARKS.md, H38 and H41).
    /// The runtime and the server allocate little natively, so two arenas cost no measurable
    /// contention. Runs first thing in Main, before the server's own threads start.
    /// </summary>
    /// <returns>Whether the C library took the limit (false on another C library).</returns>
    public static bool Configure()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            return mallopt(ArenaMax, 2) == 1;
        }
        catch (Exception error) when (error is EntryPointNotFoundException or DllNotFoundException)
        {
            // Another C library (musl has no libc.so.6): its heap is left as it is.
            return false;
        }
    }

    // glibc's own name: "libc" would find libc.so first, which on a machine with the C headers is a
    // linker script, not a library, and the call would silently never be made.
    // DllImport rather than LibraryImport: the latter needs unsafe code in the project for one call.
    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int mallopt(int param, int value);
}
