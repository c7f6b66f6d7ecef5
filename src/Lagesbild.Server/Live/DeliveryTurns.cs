namespace Lagesbild.Server.Live;

/// <summary>
/// Coalesced delivery for one picture: whether deltas wait for their connection's turn, and
/// whose turn is due. Above <see cref="LiveOptions.CoalesceAboveDeliveriesPerSecond"/> a
/// connection's deltas wait for its turn, once every <see cref="LiveOptions.CoalesceMilliseconds"/>,
/// and go out in one write.
/// </summary>
/// <remarks>
/// Turns follow the clock, not the calls: time is cut into slots of
/// <see cref="SlotMilliseconds"/>, each connection owns one slot of every turn (its phase), and
/// a call that comes late (a busy machine) serves every slot it missed, so no delta waits
/// longer than one turn however late the timer fires. Once a second the rate of the second
/// that passed decides on or off; it takes half the threshold to switch off again, so a rate
/// near the threshold does not flap. <see cref="Next"/> is called from one thread (the turns'
/// timer) and takes no lock: the fan-out holds the picture's lock while it queues a delta to
/// every connection, and a turn must not wait for that. <see cref="Counted"/> may be called
/// from another thread at the same time.
/// </remarks>
public sealed class DeliveryTurns
{
    /// <summary>How often turns are served; a turn is a whole number of these.</summary>
    public const int SlotMilliseconds = 10;
    public static readonly TimeSpan Slot = TimeSpan.FromMilliseconds(SlotMilliseconds);

    private readonly TimeProvider _clock;
    private readonly int _threshold;
    private readonly long _origin;
    private long _secondStartedMs;
    private int _deltas;
    private volatile bool _coalescing;
    private long _lastSlot = -1;

    public DeliveryTurns(LiveOptions options, TimeProvider clock)
    {
        _clock = clock;
        _threshold = options.CoalesceAboveDeliveriesPerSecond;
        _origin = clock.GetTimestamp();
        SlotsPerTurn = Math.Max(1, options.CoalesceMilliseconds / SlotMilliseconds);
    }

    /// <summary>
    /// Slots in a turn: <see cref="LiveOptions.CoalesceMilliseconds"/> in whole slots, rounded
    /// down so that no delta waits longer than the setting (205 ms gives turns of 200 ms).
    /// </summary>
    public int SlotsPerTurn { get; }

    public int TurnMilliseconds => SlotsPerTurn * SlotMilliseconds;

    /// <summary>Whether deltas now wait for their connection's turn.</summary>
    public bool Coalescing => _coalescing;

    /// <summary>A delta was applied to the picture: counted for the rate that decides on or off.</summary>
    public void Counted() => Interlocked.Increment(ref _deltas);

    /// <summary>What is due at this moment, for a picture watched by <paramref name="connections"/>.</summary>
    public DueTurns Next(int connections)
    {
        var now = (long)_clock.GetElapsedTime(_origin).TotalMilliseconds;
        var switched = false;
        if (now - _secondStartedMs >= 1000)
        {
            var perSecond = Interlocked.Exchange(ref _deltas, 0) * 1000.0 / (now - _secondStartedMs) * connections;
            var was = _coalescing;
            _coalescing = _threshold > 0 && (was ? perSecond >= _threshold / 2.0 : perSecond >= _threshold);
            switched = was != _coalescing;
            _secondStartedMs = now;
            if (was && !_coalescing)
            {
                // Everything that waited goes out now; turns start afresh when coalescing resumes.
                _lastSlot = -1;
                return new DueTurns(DueKind.All, 0, 0, SlotsPerTurn, switched);
            }
        }
        if (!_coalescing)
            return new DueTurns(DueKind.None, 0, 0, SlotsPerTurn, switched);

        var slot = now / SlotMilliseconds;
        var first = _lastSlot < 0 ? slot : _lastSlot + 1;
        _lastSlot = slot;
        if (first > slot)
            return new DueTurns(DueKind.None, 0, 0, SlotsPerTurn, switched);
        // Late by a whole turn or more: every connection's turn has come.
        if (slot - first + 1 >= SlotsPerTurn)
            return new DueTurns(DueKind.All, 0, 0, SlotsPerTurn, switched);
        return new DueTurns(DueKind.Some, (int)(first % SlotsPerTurn), (int)(slot - first), SlotsPerTurn, switched);
    }
}

public enum DueKind
{
    /// <summary>No connection's turn (or not coalescing: deltas are written as they come).</summary>
    None,
    /// <summary>The connections whose phase falls in the slots since the last call.</summary>
    Some,
    /// <summary>Every connection: coalescing just stopped, or the call is a turn or more late.</summary>
    All,
}

/// <summary>Whose turn is due: the slots from <see cref="FirstTurn"/> on, <see cref="Missed"/> of them missed by a late call.</summary>
/// <param name="Switched">Coalescing was switched on or off by this call.</param>
public readonly record struct DueTurns(DueKind Kind, int FirstTurn, int Missed, int SlotsPerTurn, bool Switched)
{
    /// <summary>Whether the connection with this phase (<see cref="ClientFeed.Phase"/>) is due.</summary>
    public bool Includes(int phase) => Kind switch
    {
        DueKind.All => true,
        DueKind.Some => (phase % SlotsPerTurn - FirstTurn + SlotsPerTurn) % SlotsPerTurn <= Missed,
        _ => false,
    };
}
