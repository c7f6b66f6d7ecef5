using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resources;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.ResourceRequests;

/// <summary>One tracked resource in a picture: at its depot, or committed to one begäran and delivered to its point.</summary>
public interface IResourceGrain : IEntityGrain<ResourceCommand>;

public sealed class ResourceGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<ResourceGrain> logger)
    : EntityGrain<ResourceState, ResourceCommand>(store, areas, officeHours, clock, logger), IResourceGrain
{
    protected override EntityKind Kind => EntityKind.Resource;

    protected override Decision<ResourceState> Decide(EntityRef self, ResourceState? state, ResourceCommand command, DecideContext context) =>
        ResourceRules.Decide(self, state, command, context);

    protected override string? DistrictOf(ResourceState state) => state.Assignment?.District;
}
