using System.ComponentModel.DataAnnotations;

namespace Lagesbild.Server.Live;

/// <summary>How live delivery to each connected map is bounded.</summary>
public sealed class LiveOptions
{
    public const string Section = "Lagesbild:Live";

    /// <summary>
    /// Deltas waiting for one connection before it is told to resync instead. 512 is about
    /// 50 s of a busy picture (10 changes/s); a map further behind than that is better
    /// served by a fresh snapshot than by replaying every step.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxPendingMessages { get; set; } = 512;

    /// <summary>
    /// Bytes of deltas waiting for one connection (counted, the payloads themselves are
    /// shared by all connections). 256 KB is about eight snapshots of the demo picture:
    /// past that a snapshot is the cheaper way to catch up.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxPendingBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// The kernel send buffer of each connection's socket; 0 leaves it to the OS, which on
    /// Linux grows it to megabytes per connection. 64 KB holds several snapshots, yet lets a
    /// stalled client push back on the server within seconds, so it is resynced instead of
    /// being fed stale deltas from a hidden kernel queue (and 10,000 stalled sockets cost
    /// 640 MB of kernel memory at most, not 40 GB).
    /// </summary>
    [Range(0, 16 * 1024 * 1024)]
    public int SocketSendBufferBytes { get; set; } = 64 * 1024;

    /// <summary>A write that has not reached the client in this time means the client is gone.</summary>
    [Range(1, 600)]
    public int WriteTimeoutSeconds { get; set; } = 30;

    /// <summary>How many recent entries each node keeps per picture for quick resume.</summary>
    [Range(16, 1_000_000)]
    public int RecentEntries { get; set; } = 4096;

    /// <summary>Resume from the loggbok when a client missed at most this many entries; else a fresh snapshot.</summary>
    [Range(0, 1_000_000)]
    public int MaxCatchUpEntries { get; set; } = 2000;

    /// <summary>How long a node waits for a missing sequence number before reading it from the loggbok.</summary>
    [Range(1, 10_000)]
    public int GapWaitMilliseconds { get; set; } = 50;

    /// <summary>
    /// Above this many deliveries per second (connections × changes per second, per picture
    /// on this node) a connection no longer gets one socket write per delta: its deltas wait
    /// for its turn, once every <see cref="CoalesceMilliseconds"/>, and go out together in
    /// one write. The turns are spread evenly over the connections. 0 turns this off.
    /// Below it (10,000 maps at 10 changes/s is 100,000) every delta is written at once: a
    /// delta's frame is built once and each write is one copy into the socket's output, and at
    /// 10,000 maps this costs the server less CPU than the benchmark's frame-once floor (94–96 %
    /// of a core against 106–110 %), with a p99 of 0.8–1.1× the floor's. Coalescing there would
    /// save a third of that CPU for a p99 of 1.4–1.7× (BENCHMARKS.md, sixteenth round); it is
    /// kept for what is beyond, a burst of changes to many maps.
    /// </summary>
    [Range(0, 100_000_000)]
    public int CoalesceAboveDeliveriesPerSecond { get; set; } = 120_000;

    /// <summary>
    /// How long a delta may wait for its connection's turn while coalescing. 200 ms: at 10
    /// changes/s a write then carries two deltas, and 10,000 maps take 50,000 writes/s, which
    /// two cores manage beside the clients with the tail still inside 250 ms (150 ms meant
    /// 67,000 writes/s, a saturated machine and a longer tail; see BENCHMARKS.md). Turns are
    /// whole slots of 10 ms (<see cref="DeliveryTurns.SlotMilliseconds"/>), rounded down, so a
    /// delta never waits longer than this: 205 gives turns of 200 ms.
    /// </summary>
    [Range(10, 1000)]
    public int CoalesceMilliseconds { get; set; } = 200;

    /// <summary>
    /// Live connections one person (the token's <c>sub</c>) may hold open to this node at once.
    /// Someone at work has a map per screen, a phone and a tablet, and a reconnect replaces its
    /// connection rather than adding one; 20 leaves room for forgotten tabs, while one token
    /// can no longer hold the hundreds of sockets that run a process out of file descriptors.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerPerson { get; set; } = 20;

    /// <summary>
    /// Live connections from one network address (after a trusted proxy's X-Forwarded-For) to
    /// this node at once. Many people share an address: the city's network leaves through a few
    /// NAT addresses, a crisis room or a partner's office through one. 500 is more than the
    /// staff of every krisledning in the city together, and still far below the process's
    /// file limit, so the whole city behind one address keeps working while one machine
    /// cannot exhaust the node.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxConnectionsPerAddress { get; set; } = 500;
}
