using Orleans.Runtime;

namespace Lagesbild.Server.Cluster;

/// <summary>
/// Every grain's placement: on the node that asked for it, unless that node has stepped aside
/// because it cannot reach the store (see <see cref="Lagesbild.Grains.Picture.StoreReach"/>);
/// then on another node. Placing locally also lets a test know which node holds an entity.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class StoreAwarePlacement : PlacementStrategy;
