using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// Whether this node reaches the store, and the entity grains it holds. A node cut off from
/// the store while the others reach it steps aside: it hands every entity it holds to
/// another node (an Orleans migration, placed by <c>StoreAwarePlacement</c>, which never
/// chooses a node that stepped aside), and a grain that is activated here anyway hands itself
/// on. The store's sequence check in the append still guards against a stale activation
/// whose append was sent before it stepped aside and arrives late.
/// </summary>
public sealed class StoreReach(ILogger<StoreReach> logger)
{
    private readonly ConcurrentDictionary<IGrainContext, bool> _held = new();
    private volatile bool _steppedAside;
    private volatile CancellationTokenSource _aside = new();

    /// <summary>True while this node cannot reach the store and has handed its entities on.</summary>
    public bool SteppedAside => _steppedAside;

    /// <summary>
    /// Cancelled when this node steps aside: a grain stops waiting for the store then, rather
    /// than for the store client's own timeout, so the caller's retry reaches the healthy node
    /// sooner. What it sent may still arrive; the append's command id and sequence checks
    /// make that harmless.
    /// </summary>
    public CancellationToken Aside => _aside.Token;

    public void Hold(IGrainContext grain) => _held.TryAdd(grain, true);

    public void Release(IGrainContext grain) => _held.TryRemove(grain, out _);

    public void StepAside(string reason)
    {
        if (_steppedAside)
            return;
        _steppedAside = true;
        _aside.Cancel();
        logger.LogWarning("The store is unreachable from this node ({Reason}); handing {Count} entities to other nodes", reason, _held.Count);
        foreach (var grain in _held.Keys)
        {
            // Placed by the placement director, which now picks another node; with no other
            // node the migration is skipped and the grain is simply deactivated.
            grain.Migrate(null);
        }
    }

    public void Return()
    {
        if (!_steppedAside)
            return;
        _aside = new CancellationTokenSource();
        _steppedAside = false;
        logger.LogInformation("The store answers this node again; it takes new entities again");
    }
}
