namespace Lagesbild.Server.Cluster;

/// <summary>
/// How long the store has been silent to this node, counted only while this node was able to
/// listen. The probe loop ticks every <c>probe</c>; a tick that comes much later than that means
/// this process was not running (a starved CPU, a late thread pool, a long collection), and the
/// store's answers were then waiting for us, not missing. Such a gap counts as at most
/// <see cref="MaxCountedGap"/>, so only silence during which we kept asking and listening on
/// time makes the node step aside. A cut-off store link is silent tick after tick and reaches
/// the limit as before.
/// </summary>
public sealed class StoreSilence(TimeSpan probe)
{
    /// <summary>The most one gap between ticks adds to the silence: four probes' worth.</summary>
    public TimeSpan MaxCountedGap { get; } = probe * 4;

    private long _answers;
    private long _answersAtLastTick;

    /// <summary>The silence counted so far: zero after any answer.</summary>
    public TimeSpan Silent { get; private set; }

    /// <summary>The store answered a probe (from any thread).</summary>
    public void Answered() => Interlocked.Increment(ref _answers);

    /// <summary>One tick of the probe loop, <paramref name="sinceLastTick"/> after the one before; returns the silence now.</summary>
    public TimeSpan Tick(TimeSpan sinceLastTick)
    {
        var answers = Interlocked.Read(ref _answers);
        if (answers != _answersAtLastTick)
        {
            _answersAtLastTick = answers;
            Silent = TimeSpan.Zero;
        }
        else
            Silent += sinceLastTick < MaxCountedGap ? sinceLastTick : MaxCountedGap;
        return Silent;
    }
}
