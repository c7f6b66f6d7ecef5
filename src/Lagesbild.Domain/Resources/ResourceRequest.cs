using System.Collections.Frozen;
using System.Collections.Immutable;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Resources;

/// <summary>
/// Where a resource begäran stands, in OASIS EDXL-RM's words: requested (RequestResource), committed (CommitResource)
/// or declined, delivered at the point, released (RequestReturn) and returned to the depot.
/// </summary>
public enum ResourceRequestStatus
{
    /// <summary>Begärd, waiting for central krisledning.</summary>
    Requested,
    /// <summary>Tilldelad: central has committed resources; they are on their way.</summary>
    Committed,
    /// <summary>Avslagen, with a reason (in the loggbok entry).</summary>
    Declined,
    /// <summary>Levererad at the point.</summary>
    Delivered,
    /// <summary>Frisläppt: the point no longer needs it; it waits to be taken back.</summary>
    Released,
    /// <summary>Återlämnad: back at its depot, free for another begäran.</summary>
    Returned,
    /// <summary>Återkallad by its requester before delivery (EDXL-RM: the RequestResource recalled); a committed resource is free again.</summary>
    Withdrawn,
}

/// <summary>
/// A district's begäran of a resource for one of its trygghetspunkter: what (a kind, or a named resource) and how
/// many, by when, who asked, the resources committed, and the time of each step. Why it is needed is the
/// loggbok entry's reason, read when the begäran is opened, so the map's join stays small.
/// </summary>
/// <param name="Name">What is asked for, in words (e.g. "Reservkraftverk × 1"), for lists and headings.</param>
/// <param name="MinutesToCommit">From the begäran to its commitment, measured when it was committed.</param>
public sealed record ResourceRequestState(
    string Name,
    string SafetyPoint,
    string District,
    ResourceKind Kind,
    int Quantity,
    DateTimeOffset NeedBy,
    ResourceRequestStatus Status,
    Actor RequestedBy,
    DateTimeOffset RequestedAt,
    ImmutableArray<string> Resources,
    string? Named = null,
    DateTimeOffset? CommittedAt = null,
    double? MinutesToCommit = null,
    DateTimeOffset? DeliveredAt = null,
    DateTimeOffset? ClosedAt = null);

public abstract record ResourceRequestCommand : Command
{
    public override EntityKind Kind => EntityKind.ResourceRequest;
}

/// <summary>EDXL-RM RequestResource: a district asks for a resource kind (or a named resource) and a quantity for one of its points, by a time, and says why (the reason).</summary>
public sealed record RequestResource(string? SafetyPoint, ResourceKind? ResourceKind, int? Quantity, DateTimeOffset? NeedBy, string? Resource = null) : ResourceRequestCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        if (!EntityRef.IsValidId(SafetyPoint))
            problems.Add("safetyPoint", "Ange trygghetspunktens id (1–60 små bokstäver a–z, siffror och bindestreck).");
        problems.Defined("resourceKind", ResourceKind);
        problems.Range("quantity", Quantity, 1, ResourceRequestRules.QuantityLimit);
        if (NeedBy is null)
            problems.Add("needBy", "Måste anges: när resursen behövs.");
        if (Resource is not null && !EntityRef.IsValidId(Resource))
            problems.Add("resource", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
        if (Resource is not null && Quantity is > 1)
            problems.Add("quantity", "En namngiven resurs begärs en i taget (antal 1).");
        problems.Text("reason", Reason, 2000, required: true);
    }
}

/// <summary>EDXL-RM CommitResource: central krisledning commits named resources (at most the quantity asked for) to the begäran.</summary>
public sealed record CommitResource(ImmutableArray<string>? Resources) : ResourceRequestCommand
{
    protected override void Check(Problems problems)
    {
        if (Resources is not { Length: > 0 } resources)
        {
            problems.Add("resources", "Ange minst en resurs att tilldela.");
            return;
        }
        if (resources.Any(r => !EntityRef.IsValidId(r)))
            problems.Add("resources", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
        else if (resources.Distinct().Count() != resources.Length)
            problems.Add("resources", "Samma resurs står två gånger.");
    }
}

/// <summary>Central krisledning declines the begäran, and says why (EDXL-RM ResponseToRequestResource, Decline).</summary>
public sealed record DeclineResourceRequest : ResourceRequestCommand
{
    protected override void Check(Problems problems) => problems.Text("reason", Reason, 2000, required: true);
}

/// <summary>The committed resources have arrived at the point (confirmed by the district there or by central).</summary>
public sealed record DeliverResource : ResourceRequestCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>EDXL-RM RequestReturn/ReleaseResource: the point no longer needs the resources.</summary>
public sealed record ReleaseResource : ResourceRequestCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>The resources are back at their depots and free for another begäran.</summary>
public sealed record ReturnResource : ResourceRequestCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>
/// The district withdraws its own begäran before anything is delivered (EDXL-RM: the requester recalls its
/// RequestResource with a cancel), and says why; a resource already committed goes back to being free.
/// </summary>
public sealed record WithdrawResourceRequest : ResourceRequestCommand
{
    protected override void Check(Problems problems) => problems.Text("reason", Reason, 2000, required: true);
}

public sealed record ResourceRequested(string SafetyPoint, ResourceKind Kind, int Quantity, DateTimeOffset NeedBy, string? Resource) : Change;

public sealed record ResourceCommitted(ImmutableArray<string> Resources, double MinutesToCommit) : Change;

public sealed record ResourceRequestStepped(ResourceRequestStatus From, ResourceRequestStatus To) : Change;

/// <summary>
/// The one statement of a resource begäran's life. What the begäran cannot see alone (that its point and named
/// resource exist, that a committed resource is of its kind and free) the grain checks against those things; who
/// may take which step is <see cref="Access"/>'s.
/// </summary>
public static class ResourceRequestRules
{
    public const int QuantityLimit = 50;

    /// <summary>Each step and the states it may be taken from.</summary>
    public static readonly FrozenDictionary<Type, (ResourceRequestStatus To, ResourceRequestStatus[] From)> Steps = new Dictionary<Type, (ResourceRequestStatus, ResourceRequestStatus[])>
    {
        [typeof(CommitResource)] = (ResourceRequestStatus.Committed, [ResourceRequestStatus.Requested]),
        [typeof(DeclineResourceRequest)] = (ResourceRequestStatus.Declined, [ResourceRequestStatus.Requested]),
        [typeof(DeliverResource)] = (ResourceRequestStatus.Delivered, [ResourceRequestStatus.Committed]),
        [typeof(ReleaseResource)] = (ResourceRequestStatus.Released, [ResourceRequestStatus.Committed, ResourceRequestStatus.Delivered]),
        [typeof(ReturnResource)] = (ResourceRequestStatus.Returned, [ResourceRequestStatus.Released]),
        [typeof(WithdrawResourceRequest)] = (ResourceRequestStatus.Withdrawn, [ResourceRequestStatus.Requested, ResourceRequestStatus.Committed]),
    }.ToFrozenDictionary();

    /// <param name="point">The point asked for, as the grain found it: its district (null when it does not exist).</param>
    public static Decision<ResourceRequestState> Decide(EntityRef self, ResourceRequestState? state, ResourceRequestCommand command, DecideContext context, string? pointDistrict = null)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            if (command is not RequestResource request)
                return new Refusal(RefusalKind.NotFound, $"Begäran {self.Id} finns inte i den här lägesbilden.");
            if (pointDistrict is null)
                return new Refusal(RefusalKind.NotFound, $"Trygghetspunkten {request.SafetyPoint} finns inte i den här lägesbilden.");
            if (request.NeedBy < context.Now.AddMinutes(-5))
                return Refusal.Invalid(new Dictionary<string, string[]> { ["needBy"] = ["Får inte ligga i det förflutna."] });
            if (request.NeedBy > context.Now.AddDays(30))
                return Refusal.Invalid(new Dictionary<string, string[]> { ["needBy"] = ["Får ligga högst 30 dagar fram."] });
            return Decision<ResourceRequestState>.Accept(
                new ResourceRequested(request.SafetyPoint!, request.ResourceKind!.Value, request.Quantity!.Value, request.NeedBy!.Value, request.Resource),
                new ResourceRequestState(NameOf(request.ResourceKind.Value, request.Quantity.Value), request.SafetyPoint!, pointDistrict, request.ResourceKind.Value, request.Quantity.Value, request.NeedBy.Value,
                    ResourceRequestStatus.Requested, context.Actor ?? Actor.System, context.Now, [], request.Resource));
        }
        if (command is RequestResource)
            return Refusal.Conflict($"Begäran {self.Id} finns redan.");

        var (next, from) = Steps[command.GetType()];
        if (!from.Contains(state.Status))
            return Refusal.Conflict(WhyNot(state, next));
        if (command is CommitResource commit)
        {
            if (commit.Resources!.Value.Length > state.Quantity)
                return Refusal.Invalid(new Dictionary<string, string[]> { ["resources"] = [$"Begäran gäller {state.Quantity}; tilldela högst så många (inte {commit.Resources.Value.Length})."] });
            var minutes = Math.Round((context.Now - state.RequestedAt).TotalMinutes, 1);
            return Decision<ResourceRequestState>.Accept(new ResourceCommitted(commit.Resources.Value, minutes),
                state with { Status = next, Resources = commit.Resources.Value, CommittedAt = context.Now, MinutesToCommit = minutes });
        }
        return Decision<ResourceRequestState>.Accept(new ResourceRequestStepped(state.Status, next), state with
        {
            Status = next,
            DeliveredAt = next == ResourceRequestStatus.Delivered ? context.Now : state.DeliveredAt,
            ClosedAt = IsOpen(next) ? state.ClosedAt : context.Now,
        });
    }

    /// <summary>What is asked for, in words: the kind and how many.</summary>
    public static string NameOf(ResourceKind kind, int quantity)
    {
        var described = ResourceRules.Describe(kind);
        return $"{char.ToUpperInvariant(described[0])}{described[1..]} × {quantity}";
    }

    /// <summary>Whether the begäran still needs something of central or the point: not declined, returned or withdrawn.</summary>
    public static bool IsOpen(ResourceRequestStatus status) => status is not (ResourceRequestStatus.Declined or ResourceRequestStatus.Returned or ResourceRequestStatus.Withdrawn);

    private static string WhyNot(ResourceRequestState state, ResourceRequestStatus next) => (state.Status, next) switch
    {
        (ResourceRequestStatus.Committed or ResourceRequestStatus.Delivered or ResourceRequestStatus.Released or ResourceRequestStatus.Returned, ResourceRequestStatus.Committed) =>
            $"Begäran är redan tilldelad ({string.Join(", ", state.Resources)}); den kan inte tilldelas två gånger.",
        (ResourceRequestStatus.Requested, ResourceRequestStatus.Delivered or ResourceRequestStatus.Released) =>
            "Ingen resurs är tilldelad än; central krisledning tilldelar först.",
        (ResourceRequestStatus.Declined or ResourceRequestStatus.Returned or ResourceRequestStatus.Withdrawn, _) =>
            $"Begäran är redan avslutad ({Describe(state.Status)}); inget mer kan göras med den.",
        (ResourceRequestStatus.Delivered or ResourceRequestStatus.Released, ResourceRequestStatus.Withdrawn) =>
            "Resursen är redan levererad till punkten; en begäran kan bara återkallas före leveransen. Frisläpp den i stället när den inte behövs.",
        _ => $"Begäran är {Describe(state.Status)}; den kan inte bli {Describe(next)} nu.",
    };

    public static string Describe(ResourceRequestStatus status) => status switch
    {
        ResourceRequestStatus.Requested => "begärd",
        ResourceRequestStatus.Committed => "tilldelad",
        ResourceRequestStatus.Declined => "avslagen",
        ResourceRequestStatus.Delivered => "levererad",
        ResourceRequestStatus.Released => "frisläppt",
        ResourceRequestStatus.Returned => "återlämnad",
        ResourceRequestStatus.Withdrawn => "återkallad",
        _ => status.ToString(),
    };
}

/// <summary>Time from begäran to commitment per district, as the follow-up shows it.</summary>
/// <param name="Open">Begäran not yet declined or returned.</param>
/// <param name="Waiting">Requested and not yet answered.</param>
/// <param name="MedianMinutesToCommit">Over those committed; null before the first.</param>
public sealed record ResourceFollowUpRow(string District, int Open, int Waiting, int Committed, double? MedianMinutesToCommit);

public static class ResourceFollowUp
{
    public static IReadOnlyList<ResourceFollowUpRow> Compute(IEnumerable<ResourceRequestState> requests) =>
        requests.GroupBy(r => r.District)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ResourceFollowUpRow(g.Key,
                Open: g.Count(r => ResourceRequestRules.IsOpen(r.Status)),
                Waiting: g.Count(r => r.Status == ResourceRequestStatus.Requested),
                Committed: g.Count(r => r.MinutesToCommit is not null),
                MedianMinutesToCommit: FollowUpMedian.Of(g.Where(r => r.MinutesToCommit is not null).Select(r => r.MinutesToCommit!.Value))))
            .ToArray();
}
