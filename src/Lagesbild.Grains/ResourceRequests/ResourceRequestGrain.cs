using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resources;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.SafetyPoints;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.ResourceRequests;

/// <summary>One resource begäran: requested for a point, committed or declined, delivered, released, returned.</summary>
public interface IResourceRequestGrain : IEntityGrain<ResourceRequestCommand>;

/// <summary>
/// Decides with <see cref="ResourceRequestRules"/> and keeps the resources in step: a resource is committed (reserved
/// in its own grain, which refuses one that serves another begäran) before the commitment is stored, moved to the
/// point when delivered, and freed when returned. Each move is the resource's own loggbok entry, by Lagesbild.
/// </summary>
public sealed class ResourceRequestGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<ResourceRequestGrain> logger)
    : EntityGrain<ResourceRequestState, ResourceRequestCommand>(store, areas, officeHours, clock, logger), IResourceRequestGrain
{
    private SafetyPointState? _point;

    protected override EntityKind Kind => EntityKind.ResourceRequest;

    protected override Decision<ResourceRequestState> Decide(EntityRef self, ResourceRequestState? state, ResourceRequestCommand command, DecideContext context) =>
        ResourceRequestRules.Decide(self, state, command, context, _point?.District);

    protected override string? DistrictOf(ResourceRequestState state) => state.District;

    protected override async Task<string?> DistrictBeforeCreationAsync(ResourceRequestCommand command)
    {
        _point = command is RequestResource { SafetyPoint: { } id } && EntityRef.IsValidId(id) ? await PointAsync(id) : null;
        return _point?.District;
    }

    protected override async Task<Refusal?> CheckReferencesAsync(ResourceRequestCommand command)
    {
        switch (command)
        {
            case RequestResource { Resource: { } named, ResourceKind: { } kind }:
                var resource = await ResourceAsync(named);
                if (resource is null)
                    return Invalid("resource", $"Resursen {named} finns inte i den här lägesbilden.");
                return resource.Kind == kind ? null : Invalid("resource", $"{resource.Name} är {ResourceRules.Describe(resource.Kind)}, inte {ResourceRules.Describe(kind)}.");
            case CommitResource commit when CurrentState is { } request:
                return await ReserveAsync(request, commit.Resources!.Value);
            default:
                return null;
        }
    }

    /// <summary>
    /// Reserves each resource in its own grain before the commitment is stored, so two begäran committing the same
    /// resource at once cannot both have it; if one cannot be reserved, those reserved here are freed again.
    /// </summary>
    private async Task<Refusal?> ReserveAsync(ResourceRequestState request, IReadOnlyList<string> ids)
    {
        var self = this.GetPrimaryKeyString()[(Picture.Length + 1)..];
        var found = new List<(string Id, ResourceState State)>();
        foreach (var id in ids)
        {
            if (await ResourceAsync(id) is not { } resource)
                return Invalid("resources", $"Resursen {id} finns inte i den här lägesbilden.");
            if (resource.Kind != request.Kind)
                return Invalid("resources", $"{resource.Name} är {ResourceRules.Describe(resource.Kind)}; begäran gäller {ResourceRules.Describe(request.Kind)}.");
            if (resource.Assignment is { } busy && busy.Request != self)
                return Refusal.Conflict(ResourceRules.Busy(new EntityRef(EntityKind.Resource, id), resource, busy));
            found.Add((id, resource));
        }
        var point = await PointAsync(request.SafetyPoint);
        if (point is null)
            return new Refusal(RefusalKind.NotFound, $"Trygghetspunkten {request.SafetyPoint} finns inte längre.");
        var reserved = new List<string>();
        foreach (var (id, resource) in found.Where(f => f.State.Assignment is null))
        {
            var result = await Resource(id).Handle(new AssignResource(self, request.SafetyPoint, request.District, point.Position), Actor.System, Guid.NewGuid());
            if (result.Refusal is { } refused)
            {
                await MoveAsync(reserved, new FreeResource(self));
                return refused;
            }
            reserved.Add(id);
        }
        return null;
    }

    protected override async Task AfterAppendAsync(ResourceRequestCommand command, Accepted<ResourceRequestState> accepted, Actor actor, long seq)
    {
        var self = this.GetPrimaryKeyString()[(Picture.Length + 1)..];
        var resources = accepted.State.Resources;
        switch (command)
        {
            case DeliverResource:
                await MoveAsync(resources, new MarkResourceDelivered(self));
                break;
            case ReturnResource:
            // A begäran withdrawn after its commitment lets its resources serve another at once.
            case WithdrawResourceRequest:
                await MoveAsync(resources, new FreeResource(self));
                break;
        }
    }

    /// <summary>Moves each resource as its begäran moved; the begäran's step stands either way, and a refusal is logged.</summary>
    private async Task MoveAsync(IEnumerable<string> resources, ResourceCommand move)
    {
        foreach (var id in resources)
        {
            var result = await Resource(id).Handle(move, Actor.System, Guid.NewGuid());
            if (result.Refusal is { } refusal)
                logger.LogWarning("{Move} of resource {Resource} in {Picture} was refused: {Reason}", move.GetType().Name, id, Picture, refusal.Reason);
        }
    }

    private IResourceGrain Resource(string id) => GrainFactory.GetGrain<IResourceGrain>(EntityKey.Of(Picture, id));

    private async Task<ResourceState?> ResourceAsync(string id) => StateOf<ResourceState>(await Resource(id).Record());

    private async Task<SafetyPointState?> PointAsync(string id) =>
        StateOf<SafetyPointState>(await GrainFactory.GetGrain<ISafetyPointGrain>(EntityKey.Of(Picture, id)).Record());

    private static T? StateOf<T>(string? record) where T : class
    {
        if (record is null)
            return null;
        using var document = JsonDocument.Parse(record);
        return document.RootElement.GetProperty("state").Deserialize<T>(DomainJson.Options);
    }

    private static Refusal Invalid(string field, string message) => Refusal.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
