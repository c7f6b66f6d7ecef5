using Lagesbild.Server.Live;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>
/// What a burst of joins used is given back once, when the burst is over, and not while
/// connections keep arriving or after a handful of them.
/// </summary>
public sealed class BurstMemoryTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-07T05:00:00Z"));

    private BurstMemory Burst() => new(_clock, NullLogger<BurstMemory>.Instance);

    private static void Join(BurstMemory burst, int count)
    {
        for (var i = 0; i < count; i++)
            burst.Joined();
    }

    [Fact]
    public void A_burst_is_settled_once_when_no_connection_has_come_for_the_quiet_time()
    {
        var burst = Burst();
        Join(burst, BurstMemory.MinimumJoins);

        _clock.Advance(TimeSpan.FromMilliseconds(BurstMemory.QuietMs - 1000));
        burst.Tick();
        Assert.Equal(0, burst.Settled);

        // One more arrives: the quiet time starts over.
        burst.Joined();
        _clock.Advance(TimeSpan.FromMilliseconds(BurstMemory.QuietMs - 1000));
        burst.Tick();
        Assert.Equal(0, burst.Settled);

        _clock.Advance(TimeSpan.FromMilliseconds(1000));
        burst.Tick();
        Assert.Equal(1, burst.Settled);

        _clock.Advance(TimeSpan.FromMinutes(5));
        burst.Tick();
        Assert.Equal(1, burst.Settled);

        // The next burst is settled again.
        Join(burst, BurstMemory.MinimumJoins);
        _clock.Advance(TimeSpan.FromMilliseconds(BurstMemory.QuietMs));
        burst.Tick();
        Assert.Equal(2, burst.Settled);
    }

    [Fact]
    public void A_few_connections_are_not_worth_a_collection()
    {
        var burst = Burst();
        Join(burst, BurstMemory.MinimumJoins - 1);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var collections = GC.CollectionCount(2);

        burst.Tick();

        Assert.Equal(0, burst.Settled);
        Assert.Equal(collections, GC.CollectionCount(2));
    }

    [Fact]
    public void Settling_gives_the_heap_the_burst_left_behind_back()
    {
        var burst = Burst();
        // What a burst leaves: garbage, in a heap grown to hold it.
        var kept = new List<byte[]>();
        for (var i = 0; i < 2_000; i++)
            kept.Add(new byte[32 * 1024]);
        GC.Collect(0);
        kept.Clear();
        Join(burst, BurstMemory.MinimumJoins);
        _clock.Advance(TimeSpan.FromMilliseconds(BurstMemory.QuietMs));
        var collections = GC.CollectionCount(2);

        burst.Tick();

        Assert.Equal(1, burst.Settled);
        Assert.True(GC.CollectionCount(2) > collections);
        var after = GC.GetGCMemoryInfo(GCKind.Any);
        // The 64 MB of dead arrays are not kept committed for allocations that will not come.
        Assert.True(after.TotalCommittedBytes < after.HeapSizeBytes + 32L * 1024 * 1024,
            $"{after.TotalCommittedBytes >> 20} MB committed for a heap of {after.HeapSizeBytes >> 20} MB");
    }
}
