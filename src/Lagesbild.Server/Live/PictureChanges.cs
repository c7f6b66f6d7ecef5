namespace Lagesbild.Server.Live;

/// <summary>
/// Tells what works behind the appends (the alert rules) that some picture on this node moved
/// on, so it looks at once rather than on its next tick. Signalling costs the push nothing it
/// waits for: one release of a semaphore that is at most 1, whoever is or is not waiting.
/// </summary>
public sealed class PictureChanges
{
    private readonly SemaphoreSlim _changed = new(0, 1);

    /// <summary>A picture applied an entry (called by <see cref="PictureFeed"/> after it handed the entry to its clients).</summary>
    public void Changed()
    {
        if (_changed.CurrentCount == 0)
        {
            try
            {
                _changed.Release();
            }
            catch (SemaphoreFullException)
            {
                // Released by another entry in between: one signal is enough.
            }
        }
    }

    /// <summary>Waits for a change since the last wait returned, or until <paramref name="atMost"/> (by <paramref name="clock"/>) has passed.</summary>
    public async Task WaitAsync(TimeSpan atMost, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tick = Task.Delay(atMost, clock, timeout.Token);
        var changed = _changed.WaitAsync(timeout.Token);
        // Whichever comes first, the caller looks at every picture next: a signal taken just as the tick
        // came is not lost, it is answered by that same look.
        await Task.WhenAny(tick, changed);
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
