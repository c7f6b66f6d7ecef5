using Lagesbild.Server.Cluster;

namespace Lagesbild.Server.Tests;

/// <summary>
/// When a node counts the store as gone (and steps aside after 3 s of it): silence while it kept
/// asking every 250 ms counts; a stretch in which its own threads did not run does not, since
/// the store's answers were waiting for it then, not missing.
/// </summary>
public sealed class StoreSilenceTests
{
    private static readonly TimeSpan Probe = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan After = TimeSpan.FromSeconds(3);

    [Fact]
    public void A_store_that_stops_answering_while_the_node_asks_on_time_counts_as_gone_after_the_set_time()
    {
        var silence = new StoreSilence(Probe);
        silence.Answered();
        silence.Tick(Probe);
        var ticks = 0;
        while (silence.Tick(Probe) < After)
            ticks++;
        Assert.Equal(11, ticks);
    }

    [Fact]
    public void A_node_whose_own_threads_stalled_for_seconds_does_not_count_the_stall_as_silence_and_the_waiting_answer_clears_it()
    {
        var silence = new StoreSilence(Probe);
        silence.Answered();
        silence.Tick(Probe);
        // The process did not run for 10 s: the next tick comes that late, before the answer to
        // the probe sent just before the stall has been read.
        Assert.True(silence.Tick(TimeSpan.FromSeconds(10)) < After);
        silence.Answered();
        Assert.Equal(TimeSpan.Zero, silence.Tick(Probe));
    }

    [Fact]
    public void Late_ticks_still_add_up_to_silence_when_the_store_stays_silent()
    {
        var silence = new StoreSilence(Probe);
        silence.Answered();
        silence.Tick(Probe);
        // A busy node asking late, a second between probes, with no answer at all: the store is gone.
        var ticks = 0;
        while (silence.Tick(TimeSpan.FromSeconds(1)) < After)
            ticks++;
        Assert.Equal(2, ticks);
    }
}
