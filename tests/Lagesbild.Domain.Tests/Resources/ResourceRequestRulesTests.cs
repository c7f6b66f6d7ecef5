using System.Collections.Immutable;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resources;
using Lagesbild.Domain.SafetyPoints;

namespace Lagesbild.Domain.Tests.Resources;

/// <summary>A resource begäran's life in EDXL-RM's steps: every step from every state, legal and refused, and who may take it.</summary>
public sealed class ResourceRequestRulesTests
{
    private static readonly EntityRef Request1 = new(EntityKind.ResourceRequest, "rb-1");
    private static readonly Actor Anna = new("Anna Berg", Roles.Central);
    private static readonly Actor Sara = new("Sara Ek", Roles.District, District: "farsta");
    private static readonly Actor Omar = new("Omar Haddad", Roles.District, District: "sodermalm");
    private static readonly Actor Polis = new("Polisen", Roles.Observer);

    private static readonly ResourceRequestState Requested = new("Reservkraftverk × 1", "farsta-storforsplan", "farsta", ResourceKind.Generator, 1,
        Decisions.Now.AddHours(3), ResourceRequestStatus.Requested, Sara, Decisions.Now.AddMinutes(-42), []);

    /// <summary>Which step may follow each state: ✓ legal, ✗ refused with 409 and the reason.</summary>
    private const string Steps = """
                                Requested Committed Declined Delivered Released Returned Withdrawn
        CommitResource          ✓         ✗         ✗        ✗         ✗        ✗        ✗
        DeclineResourceRequest  ✓         ✗         ✗        ✗         ✗        ✗        ✗
        DeliverResource         ✗         ✓         ✗        ✗         ✗        ✗        ✗
        ReleaseResource         ✗         ✓         ✗        ✓         ✗        ✗        ✗
        ReturnResource          ✗         ✗         ✗        ✗         ✓        ✗        ✗
        WithdrawResourceRequest ✓         ✓         ✗        ✗         ✗        ✗        ✗
        """;

    private static ResourceRequestCommand Step(string name) => name switch
    {
        "CommitResource" => new CommitResource(["aggregat-1"]),
        "DeclineResourceRequest" => new DeclineResourceRequest { Reason = "Alla aggregat är ute" },
        "DeliverResource" => new DeliverResource(),
        "ReleaseResource" => new ReleaseResource(),
        "ReturnResource" => new ReturnResource(),
        "WithdrawResourceRequest" => new WithdrawResourceRequest { Reason = "Elen är tillbaka i Farsta" },
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static Decision<ResourceRequestState> Decide(ResourceRequestState? state, ResourceRequestCommand command, string? pointDistrict = "farsta") =>
        ResourceRequestRules.Decide(Request1, state, command, Decisions.Context with { Actor = Anna }, pointDistrict);

    [Fact]
    public void Every_step_from_every_state_is_legal_or_refused_as_the_table_says()
    {
        var lines = Steps.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var states = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<ResourceRequestStatus>).ToArray();
        Assert.Equal(Enum.GetValues<ResourceRequestStatus>(), states);
        Assert.Equal(ResourceRequestRules.Steps.Keys.Select(t => t.Name).Order(), lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).Order());
        var failures = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < states.Length; i++)
            {
                var state = Requested with { Status = states[i], Resources = states[i] == ResourceRequestStatus.Requested ? [] : ["aggregat-1"] };
                var decision = Decide(state, Step(cells[0]));
                var legal = cells[1 + i] == "✓";
                if (legal && decision.Refusal is { } refusal)
                    failures.Add($"{cells[0]} from {states[i]}: refused ({refusal.Reason})");
                if (legal && decision.AcceptedChange is { } accepted && accepted.State.Status != ResourceRequestRules.Steps[Step(cells[0]).GetType()].To)
                    failures.Add($"{cells[0]} from {states[i]}: went to {accepted.State.Status}");
                if (!legal && decision.Refusal is not { Kind: RefusalKind.Conflict })
                    failures.Add($"{cells[0]} from {states[i]}: expected a 409 refusal, got {(decision.Refusal is null ? $"accepted → {decision.AcceptedChange!.State.Status}" : decision.Refusal.Kind)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void A_district_requests_a_generator_for_its_point_with_a_need_by_time_and_the_reason_stays_in_the_loggbok_entry()
    {
        var request = new RequestResource("farsta-storforsplan", ResourceKind.Generator, 1, Decisions.Now.AddHours(4)) { Reason = "Elen borta sedan 06:40, reservkraften räcker inte natten" };

        var accepted = ResourceRequestRules.Decide(Request1, null, request, Decisions.Context with { Actor = Sara }, "farsta").AssertAccepted();

        Assert.Equal(ResourceRequestStatus.Requested, accepted.State.Status);
        Assert.Equal("farsta", accepted.State.District);
        Assert.Equal(Sara, accepted.State.RequestedBy);
        Assert.Equal(Decisions.Now, accepted.State.RequestedAt);
        Assert.DoesNotContain("06:40", System.Text.Json.JsonSerializer.Serialize(accepted.State, DomainJson.Options));
    }

    [Fact]
    public void Committing_measures_the_time_from_the_request_and_committing_twice_is_refused_saying_what_it_has()
    {
        var committed = Decide(Requested, new CommitResource(["aggregat-1"])).AssertAccepted().State;

        Assert.Equal(42, committed.MinutesToCommit);
        Assert.Equal(Decisions.Now, committed.CommittedAt);
        var again = Decide(committed, new CommitResource(["aggregat-2"])).AssertRefused(RefusalKind.Conflict);
        Assert.Contains("redan tilldelad (aggregat-1)", again.Reason);
    }

    [Fact]
    public void Delivering_before_anything_is_committed_is_refused_saying_central_commits_first()
    {
        var refusal = Decide(Requested, new DeliverResource()).AssertRefused(RefusalKind.Conflict);

        Assert.Contains("central krisledning tilldelar först", refusal.Reason);
    }

    [Fact]
    public void A_request_for_a_point_that_does_not_exist_is_refused_as_not_found()
    {
        var request = new RequestResource("farsta-finns-inte", ResourceKind.Generator, 1, Decisions.Now.AddHours(4)) { Reason = "Behövs" };

        var refusal = Decide(null, request, pointDistrict: null).AssertRefused(RefusalKind.NotFound);

        Assert.Contains("farsta-finns-inte", refusal.Reason);
    }

    [Fact]
    public void Bad_input_is_refused_field_by_field_in_swedish()
    {
        Decide(null, new RequestResource("farsta-storforsplan", ResourceKind.Generator, 0, Decisions.Now.AddHours(1)) { Reason = "x" }).AssertInvalid("quantity");
        Decide(null, new RequestResource("farsta-storforsplan", (ResourceKind)99, 1, Decisions.Now.AddHours(1)) { Reason = "x" }).AssertInvalid("resourceKind");
        Decide(null, new RequestResource("farsta-storforsplan", ResourceKind.Generator, 1, Decisions.Now.AddHours(1))).AssertInvalid("reason");
        Decide(null, new RequestResource("farsta-storforsplan", ResourceKind.Generator, 1, Decisions.Now.AddHours(-2)) { Reason = "x" }).AssertInvalid("needBy");
        Decide(null, new RequestResource("farsta-storforsplan", ResourceKind.Generator, 2, Decisions.Now.AddHours(1), "aggregat-1") { Reason = "x" }).AssertInvalid("quantity");
        Decide(Requested, new CommitResource([])).AssertInvalid("resources");
        Decide(Requested, new CommitResource(["aggregat-1", "aggregat-1"])).AssertInvalid("resources");
        Decide(Requested, new CommitResource(["aggregat-1", "aggregat-2"])).AssertInvalid("resources");
        Decide(Requested, new DeclineResourceRequest()).AssertInvalid("reason");
        Decide(Requested, new WithdrawResourceRequest()).AssertInvalid("reason");
    }

    [Fact]
    public void A_district_withdraws_its_begaran_before_delivery_and_it_is_closed_then_but_not_after_delivery()
    {
        var committed = Requested with { Status = ResourceRequestStatus.Committed, Resources = ["aggregat-1"] };

        var withdrawn = ResourceRequestRules.Decide(Request1, committed, new WithdrawResourceRequest { Reason = "Elen är tillbaka" }, Decisions.Context with { Actor = Sara }).AssertAccepted().State;

        Assert.Equal(ResourceRequestStatus.Withdrawn, withdrawn.Status);
        Assert.Equal(Decisions.Now, withdrawn.ClosedAt);
        Assert.False(ResourceRequestRules.IsOpen(withdrawn.Status));
        Assert.Contains("avslutad (återkallad)", Decide(withdrawn, new CommitResource(["aggregat-2"])).AssertRefused(RefusalKind.Conflict).Reason);
        var delivered = committed with { Status = ResourceRequestStatus.Delivered };
        Assert.Contains("Frisläpp den i stället", Decide(delivered, new WithdrawResourceRequest { Reason = "x" }).AssertRefused(RefusalKind.Conflict).Reason);
    }

    [Fact]
    public void A_step_on_a_request_that_does_not_exist_is_refused_as_not_found() =>
        Decide(null, new CommitResource(["aggregat-1"])).AssertRefused(RefusalKind.NotFound);

    [Fact]
    public void A_resource_serves_one_request_at_a_time_and_its_position_follows_the_delivery_and_the_return()
    {
        var self = new EntityRef(EntityKind.Resource, "aggregat-1");
        var depot = new GeoPosition(18.05, 59.30);
        var point = new GeoPosition(18.09, 59.24);
        var context = Decisions.Context with { Actor = Actor.System };
        var free = ResourceRules.Decide(self, null, new RegisterResource(ResourceKind.Generator, "Aggregat 1", new Depot("Förrådet Västberga", depot)), context).AssertAccepted().State;
        Assert.Equal(depot, free.Position);

        var committed = ResourceRules.Decide(self, free, new AssignResource("rb-1", "farsta-storforsplan", "farsta", point), context).AssertAccepted().State;
        Assert.Equal(depot, committed.Position);
        var elsewhere = ResourceRules.Decide(self, committed, new AssignResource("rb-2", "sodermalm-tellus", "sodermalm", point), context).AssertRefused(RefusalKind.Conflict);
        Assert.Contains("redan tilldelad begäran rb-1", elsewhere.Reason);
        // Freed before delivery (its begäran withdrawn), it never left its depot and is free for another.
        var freedEarly = ResourceRules.Decide(self, committed, new FreeResource("rb-1"), context).AssertAccepted().State;
        Assert.Equal((depot, (ResourceAssignment?)null), (freedEarly.Position, freedEarly.Assignment));
        ResourceRules.Decide(self, freedEarly, new AssignResource("rb-2", "sodermalm-tellus", "sodermalm", point), context).AssertAccepted();

        var delivered = ResourceRules.Decide(self, committed, new MarkResourceDelivered("rb-1"), context).AssertAccepted().State;
        Assert.Equal(point, delivered.Position);
        var returned = ResourceRules.Decide(self, delivered, new FreeResource("rb-1"), context).AssertAccepted().State;
        Assert.Equal(depot, returned.Position);
        Assert.Null(returned.Assignment);
    }

    [Fact]
    public void A_district_requests_and_confirms_for_its_own_points_only_central_commits_and_observers_write_nothing()
    {
        var request = new RequestResource("farsta-storforsplan", ResourceKind.Generator, 1, Decisions.Now.AddHours(4));
        var entity = new EntityRef(EntityKind.ResourceRequest, "rb-1");

        Assert.Null(Access.Check(Sara, entity, "farsta", request, false));
        Assert.Contains("sitt eget stadsdelsområdes punkter", Access.Check(Omar, entity, "farsta", request, false)!.Reason);
        Assert.Null(Access.Check(Anna, entity, "farsta", request, false));
        Assert.Equal(RefusalKind.Forbidden, Access.Check(Polis, entity, "farsta", request, false)!.Kind);
        foreach (ResourceRequestCommand step in new ResourceRequestCommand[] { new CommitResource(["a"]), new DeclineResourceRequest(), new ReturnResource() })
        {
            Assert.Null(Access.Check(Anna, entity, "farsta", step, false, Requested));
            Assert.Contains("Central krisledning tilldelar", Access.Check(Sara, entity, "farsta", step, false, Requested)!.Reason);
        }
        foreach (ResourceRequestCommand step in new ResourceRequestCommand[] { new DeliverResource(), new ReleaseResource(), new WithdrawResourceRequest() })
        {
            Assert.Null(Access.Check(Sara, entity, "farsta", step, false, Requested));
            Assert.NotNull(Access.Check(Omar, entity, "farsta", step, false, Requested));
            Assert.NotNull(Access.Check(Polis, entity, "farsta", step, false, Requested));
        }
        Assert.NotNull(Access.Check(Anna, new EntityRef(EntityKind.Resource, "a"), null, new AssignResource("rb-1", "p", "farsta", new GeoPosition(18, 59.3)), false));
        Assert.Null(Access.Check(Anna, new EntityRef(EntityKind.Resource, "a"), null, new RegisterResource(ResourceKind.Generator, "A", null), false));
        Assert.NotNull(Access.Check(Sara, new EntityRef(EntityKind.Resource, "a"), null, new RegisterResource(ResourceKind.Generator, "A", null), false));
    }

    [Fact]
    public void The_median_time_to_commit_is_per_district_over_the_committed_requests()
    {
        var rows = ResourceFollowUp.Compute([
            Requested with { MinutesToCommit = 10, Status = ResourceRequestStatus.Committed },
            Requested with { MinutesToCommit = 30, Status = ResourceRequestStatus.Returned },
            Requested with { MinutesToCommit = 20, Status = ResourceRequestStatus.Delivered },
            Requested,
            Requested with { District = "sodermalm" },
        ]);

        Assert.Equal([new ResourceFollowUpRow("farsta", 3, 1, 3, 20), new ResourceFollowUpRow("sodermalm", 1, 1, 0, null)], rows);
    }
}
