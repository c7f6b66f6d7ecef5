using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Resources;

/// <summary>The kinds of resource the city tracks for its trygghetspunkter.</summary>
public enum ResourceKind
{
    /// <summary>Reservkraftverk (a mobile generator).</summary>
    Generator,
    /// <summary>Vattentank (nödvatten).</summary>
    WaterTank,
    /// <summary>Bränsleleverans (a fuel truck's delivery).</summary>
    FuelDelivery,
    /// <summary>Personal from the city.</summary>
    Staff,
    /// <summary>Frivilliga resursgrupper (FRG volunteers).</summary>
    FrgVolunteers,
    /// <summary>Ordningsvakter (security guards).</summary>
    SecurityGuards,
}

/// <summary>A depot or place where a resource is kept when it is not in use.</summary>
public sealed record Depot(string? Name, GeoPosition? Position);

/// <summary>Where a committed resource is sent: the begäran it answers and the point it goes to.</summary>
/// <param name="Delivered">It has arrived at the point (until then it is on its way from the depot).</param>
public sealed record ResourceAssignment(string Request, string SafetyPoint, string District, GeoPosition PointPosition, bool Delivered);

/// <summary>
/// A tracked resource (a generator, a water tank, a fuel truck, a staff or FRG group, ordningsvakter): its kind,
/// name, depot, where it is now (its depot, or the point it was delivered to) and the begäran it is committed to.
/// </summary>
public sealed record ResourceState(ResourceKind Kind, string Name, Depot Depot, GeoPosition Position, ResourceAssignment? Assignment = null);

public abstract record ResourceCommand : Command
{
    public override EntityKind Kind => EntityKind.Resource;
}

/// <summary>Central krisledning registers a resource at its depot.</summary>
public sealed record RegisterResource(ResourceKind? ResourceKind, string? Name, Depot? Depot) : ResourceCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        problems.Defined("resourceKind", ResourceKind);
        problems.Text("name", Name, ResourceRules.NameLimit, required: true);
        problems.Required("depot", Depot);
        if (Depot is not null)
        {
            problems.Text("depot.name", Depot.Name, ResourceRules.NameLimit, required: true);
            SafetyPointCommand.CheckPosition(problems, Depot.Position, required: true, "depot.position");
        }
    }
}

/// <summary>Lagesbild commits the resource to a begäran when central krisledning commits it there.</summary>
public sealed record AssignResource(string? Request, string? SafetyPoint, string? District, GeoPosition? PointPosition) : ResourceCommand
{
    protected override void Check(Problems problems)
    {
        problems.Required("request", Request);
        problems.Required("safetyPoint", SafetyPoint);
        problems.Required("district", District);
        problems.Required("pointPosition", PointPosition);
    }
}

/// <summary>Lagesbild records that the resource has arrived at the point of its begäran.</summary>
public sealed record MarkResourceDelivered(string? Request) : ResourceCommand
{
    protected override void Check(Problems problems) => problems.Required("request", Request);
}

/// <summary>Lagesbild frees the resource when its begäran is returned (it is back at its depot).</summary>
public sealed record FreeResource(string? Request) : ResourceCommand
{
    protected override void Check(Problems problems) => problems.Required("request", Request);
}

public sealed record ResourceRegistered(ResourceKind Kind, string Name, Depot Depot) : Change;

public sealed record ResourceAssigned(string Request, string SafetyPoint) : Change;

public sealed record ResourceDelivered(string Request, string SafetyPoint) : Change;

public sealed record ResourceFreed(string Request) : Change;

/// <summary>The rules of one resource: it serves one begäran at a time, and its position follows that begäran.</summary>
public static class ResourceRules
{
    public const int NameLimit = 120;

    public static Decision<ResourceState> Decide(EntityRef self, ResourceState? state, ResourceCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            if (command is not RegisterResource register)
                return new Refusal(RefusalKind.NotFound, $"Resursen {self.Id} finns inte i den här lägesbilden.");
            var depot = new Depot(register.Depot!.Name!.Trim(), register.Depot.Position!);
            return Decision<ResourceState>.Accept(new ResourceRegistered(register.ResourceKind!.Value, register.Name!.Trim(), depot),
                new ResourceState(register.ResourceKind.Value, register.Name.Trim(), depot, depot.Position!));
        }
        switch (command)
        {
            case RegisterResource:
                return Refusal.Conflict($"Resursen {self.Id} finns redan.");
            case AssignResource assign:
                if (state.Assignment is { } busy)
                    return Refusal.Conflict(Busy(self, state, busy));
                return Decision<ResourceState>.Accept(new ResourceAssigned(assign.Request!, assign.SafetyPoint!),
                    state with { Assignment = new ResourceAssignment(assign.Request!, assign.SafetyPoint!, assign.District!, assign.PointPosition!, Delivered: false) });
            case MarkResourceDelivered delivered:
                if (state.Assignment is not { } use || use.Request != delivered.Request)
                    return Refusal.Conflict($"{state.Name} är inte tilldelad begäran {delivered.Request}.");
                return Decision<ResourceState>.Accept(new ResourceDelivered(use.Request, use.SafetyPoint),
                    state with { Assignment = use with { Delivered = true }, Position = use.PointPosition });
            case FreeResource free:
                if (state.Assignment is not { } held || held.Request != free.Request)
                    return Refusal.Conflict($"{state.Name} är inte tilldelad begäran {free.Request}.");
                return Decision<ResourceState>.Accept(new ResourceFreed(held.Request), state with { Assignment = null, Position = state.Depot.Position! });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, null);
        }
    }

    /// <summary>Why a resource cannot be committed: it serves another begäran, named so central can look there.</summary>
    public static string Busy(EntityRef self, ResourceState state, ResourceAssignment busy) =>
        $"{state.Name} ({self.Id}) är redan tilldelad begäran {busy.Request} vid trygghetspunkten {busy.SafetyPoint}; den kan inte tilldelas två begäran samtidigt.";

    public static string Describe(ResourceKind kind) => kind switch
    {
        ResourceKind.Generator => "reservkraftverk",
        ResourceKind.WaterTank => "vattentank",
        ResourceKind.FuelDelivery => "bränsleleverans",
        ResourceKind.Staff => "personal",
        ResourceKind.FrgVolunteers => "FRG-frivilliga",
        ResourceKind.SecurityGuards => "ordningsvakter",
        _ => kind.ToString(),
    };
}
