using Lagesbild.Server.Live;

namespace Lagesbild.Server.Tests;

public sealed class NativeHeapTests
{
    [Fact]
    public void On_this_machines_C_library_the_arena_limit_is_really_set()
    {
        // The server runs on glibc here and in its image (Debian); the limit must reach the C
        // library, not be dropped by a failed lookup of the library that nobody sees.
        Assert.True(OperatingSystem.IsLinux(), "the server's hosts are Linux");
        Assert.True(NativeHeap.Configure(), "mallopt(M_ARENA_MAX, 2) did not reach glibc");
    }
}
