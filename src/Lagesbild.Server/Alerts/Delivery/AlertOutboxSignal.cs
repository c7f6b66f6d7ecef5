namespace Lagesbild.Server.Alerts.Delivery;

/// <summary>
/// Wakes this node's outbox worker when an item was just written here, so a node that holds the lease sends it at once
/// instead of at its next look; the other nodes' workers find it at theirs (<see cref="AlertChannelOptions.PollMilliseconds"/>).
/// </summary>
public sealed class AlertOutboxSignal
{
    private readonly SemaphoreSlim _written = new(0, 1);

    public void Wake()
    {
        try
        {
            _written.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken; one look sends everything due.
        }
    }

    /// <summary>Waits for a wake-up or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan poll, CancellationToken cancel) => _written.WaitAsync(poll, cancel);
}
