using Lagesbild.Grains.Picture;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Lagesbild.Server.Cluster;

/// <summary>Places a grain on this node, or, while this node has stepped aside, on any other.</summary>
public sealed class StoreAwarePlacementDirector(StoreReach reach) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var local = context.LocalSilo;
        if (!reach.SteppedAside && compatible.Contains(local))
            return Task.FromResult(local);
        var others = compatible.Where(silo => !silo.Equals(local)).ToArray();
        // With no other node this one keeps the grain; its store calls answer 503 until the store returns.
        return Task.FromResult(others.Length == 0 ? local : others[Random.Shared.Next(others.Length)]);
    }
}
