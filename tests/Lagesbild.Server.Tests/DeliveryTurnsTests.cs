using Lagesbild.Server.Live;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>
/// Coalesced delivery's turns on a fake clock: when they switch on and off, that every
/// connection gets exactly one turn per turn length, and that a late timer loses no turn.
/// </summary>
public sealed class DeliveryTurnsTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-05T02:00:00Z"));

    private DeliveryTurns Turns(int threshold = 30_000, int milliseconds = 200) =>
        new(new LiveOptions { CoalesceAboveDeliveriesPerSecond = threshold, CoalesceMilliseconds = milliseconds }, _clock);

    /// <summary>Counts <paramref name="deltas"/> over one second, then asks what is due for <paramref name="connections"/>.</summary>
    private DueTurns OneSecond(DeliveryTurns turns, int deltas, int connections)
    {
        for (var i = 0; i < deltas; i++)
            turns.Counted();
        _clock.Advance(TimeSpan.FromSeconds(1));
        return turns.Next(connections);
    }

    [Fact]
    public void Coalescing_switches_on_at_the_threshold_and_not_below_it()
    {
        var below = Turns();
        var at = Turns();

        // 100 maps: 299 changes in a second is 29,900 deliveries, 300 is 30,000.
        for (var i = 0; i < 300; i++)
        {
            at.Counted();
            if (i > 0)
                below.Counted();
        }
        _clock.Advance(TimeSpan.FromSeconds(1));
        var belowDue = below.Next(100);
        var atDue = at.Next(100);

        Assert.False(below.Coalescing);
        Assert.Equal((DueKind.None, false), (belowDue.Kind, belowDue.Switched));
        Assert.True(at.Coalescing);
        Assert.True(atDue.Switched);
    }

    [Fact]
    public void Coalescing_switches_off_only_below_half_the_threshold_and_then_flushes_everyone()
    {
        var turns = Turns();
        OneSecond(turns, 400, 100);

        var stillOn = OneSecond(turns, 150, 100);   // 15,000/s: half the threshold keeps it on
        var off = OneSecond(turns, 149, 100);       // 14,900/s: off

        Assert.False(stillOn.Switched);
        Assert.False(turns.Coalescing);
        Assert.Equal((DueKind.All, true), (off.Kind, off.Switched));
        Assert.True(off.Includes(12345));
        Assert.Equal(DueKind.None, turns.Next(100).Kind);
    }

    [Fact]
    public void A_threshold_of_zero_never_coalesces()
    {
        var turns = Turns(threshold: 0);

        OneSecond(turns, 1_000_000, 10_000);

        Assert.False(turns.Coalescing);
    }

    [Fact]
    public void Over_one_turn_every_connection_is_due_exactly_once_and_the_turns_are_spread()
    {
        var turns = Turns();
        OneSecond(turns, 1000, 100);
        var served = new int[40];
        var perSlot = new List<int>();

        for (var slot = 0; slot < turns.SlotsPerTurn; slot++)
        {
            _clock.Advance(DeliveryTurns.Slot);
            var due = turns.Next(40);
            var now = Enumerable.Range(0, 40).Where(due.Includes).ToArray();
            foreach (var phase in now)
                served[phase]++;
            perSlot.Add(now.Length);
        }

        Assert.Equal(20, turns.SlotsPerTurn);
        Assert.All(served, count => Assert.Equal(1, count));
        // 40 connections over 20 slots: two a slot, never a crowd in one.
        Assert.All(perSlot, count => Assert.Equal(2, count));
    }

    [Fact]
    public void A_late_timer_serves_every_slot_it_missed()
    {
        var turns = Turns();
        OneSecond(turns, 1000, 100);
        _clock.Advance(DeliveryTurns.Slot);
        var onTime = turns.Next(40);

        // The next call comes 50 ms late: the five slots since are all due at once.
        _clock.Advance(TimeSpan.FromMilliseconds(50));
        var late = turns.Next(40);
        var lateDue = Enumerable.Range(0, 40).Where(late.Includes).ToArray();

        Assert.Equal(DueKind.Some, onTime.Kind);
        Assert.Equal(4, late.Missed);
        Assert.Equal(10, lateDue.Length);
        Assert.DoesNotContain(lateDue, phase => onTime.Includes(phase));
    }

    [Fact]
    public void A_timer_late_by_a_whole_turn_serves_everyone()
    {
        var turns = Turns();
        OneSecond(turns, 1000, 100);
        _clock.Advance(DeliveryTurns.Slot);
        turns.Next(40);

        _clock.Advance(TimeSpan.FromMilliseconds(250));
        var due = turns.Next(40);

        Assert.Equal(DueKind.All, due.Kind);
    }

    [Fact]
    public void Two_calls_in_one_slot_do_not_serve_it_twice()
    {
        var turns = Turns();
        OneSecond(turns, 1000, 100);
        _clock.Advance(DeliveryTurns.Slot);
        turns.Next(40);

        var again = turns.Next(40);

        Assert.Equal(DueKind.None, again.Kind);
    }

    [Theory]
    [InlineData(205, 20)]
    [InlineData(199, 19)]
    [InlineData(10, 1)]
    public void A_turn_length_that_is_not_whole_slots_is_rounded_down_so_no_delta_waits_longer(int milliseconds, int slots)
    {
        var turns = Turns(milliseconds: milliseconds);
        OneSecond(turns, 1000, 100);
        var lastServed = new Dictionary<int, int>();
        var longestWait = 0;

        for (var slot = 1; slot <= 3 * slots; slot++)
        {
            _clock.Advance(DeliveryTurns.Slot);
            var due = turns.Next(7);
            foreach (var phase in Enumerable.Range(0, 7).Where(due.Includes))
            {
                if (lastServed.TryGetValue(phase, out var previous))
                    longestWait = Math.Max(longestWait, (slot - previous) * DeliveryTurns.SlotMilliseconds);
                lastServed[phase] = slot;
            }
        }

        Assert.Equal(slots, turns.SlotsPerTurn);
        Assert.Equal(slots * DeliveryTurns.SlotMilliseconds, turns.TurnMilliseconds);
        Assert.True(longestWait <= milliseconds, $"a connection waited {longestWait} ms for its turn with turns of {milliseconds} ms");
        Assert.Equal(7, lastServed.Count);
    }
}
