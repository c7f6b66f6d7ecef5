using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.Assignments;

/// <summary>An uppdrag's life: every step from every state, and who may take it.</summary>
public sealed class AssignmentRulesTests
{
    private static readonly EntityRef Task1 = new(EntityKind.Assignment, "u-1");
    private static readonly Actor Anna = new("Anna Berg", Roles.Central);
    private static readonly Actor Sara = new("Sara Ek", Roles.District, District: "farsta");
    private static readonly Actor Omar = new("Omar Haddad", Roles.District, District: "sodermalm");

    private static readonly AssignmentState Sent = new("Kontrollera trygghetspunkterna", new Assignee(AssigneeKind.District, "farsta"), Anna,
        Decisions.Now.AddHours(-1), Decisions.Now.AddHours(2), AssignmentStatus.Sent, "farsta");

    /// <summary>Which step may follow each state: ✓ legal, ✗ refused with 409 and the reason.</summary>
    private const string Steps = """
                               Sent Received InProgress Done CannotBeDone Cancelled
        AcknowledgeAssignment  ✓    ✗        ✗          ✗    ✗            ✗
        StartAssignment        ✗    ✓        ✗          ✗    ✗            ✗
        CompleteAssignment     ✗    ✓        ✓          ✗    ✗            ✗
        DeclineAssignment      ✗    ✓        ✓          ✗    ✗            ✗
        CancelAssignment       ✓    ✓        ✓          ✗    ✗            ✗
        """;

    private static AssignmentCommand Step(string name) => name switch
    {
        "AcknowledgeAssignment" => new AcknowledgeAssignment(),
        "StartAssignment" => new StartAssignment(),
        "CompleteAssignment" => new CompleteAssignment { Reason = "Alla fyra punkter kontrollerade" },
        "DeclineAssignment" => new DeclineAssignment { Reason = "Ingen personal kvar i kväll" },
        "CancelAssignment" => new CancelAssignment(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Fact]
    public void Every_step_from_every_state_is_legal_or_refused_as_the_table_says()
    {
        var lines = Steps.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var states = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<AssignmentStatus>).ToArray();
        Assert.Equal(Enum.GetValues<AssignmentStatus>(), states);
        var failures = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            for (var i = 0; i < states.Length; i++)
            {
                var state = Sent with { Status = states[i] };
                var decision = AssignmentRules.Decide(Task1, state, Step(cells[0]), Decisions.Context with { Actor = Sara });
                var legal = cells[1 + i] == "✓";
                if (legal && decision.Refusal is { } refusal)
                    failures.Add($"{cells[0]} from {states[i]}: refused ({refusal.Reason})");
                if (!legal && decision.Refusal is not { Kind: RefusalKind.Conflict })
                    failures.Add($"{cells[0]} from {states[i]}: expected a 409 refusal, got {(decision.Refusal is null ? $"accepted → {decision.AcceptedChange!.State.Status}" : decision.Refusal.Kind)}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void Done_before_received_is_refused_and_says_to_acknowledge_first()
    {
        var refusal = AssignmentRules.Decide(Task1, Sent, Step("CompleteAssignment"), Decisions.Context).AssertRefused(RefusalKind.Conflict);
        Assert.Contains("kvittera", refusal.Reason);
    }

    [Fact]
    public void Acknowledging_records_when_it_was_received()
    {
        var accepted = AssignmentRules.Decide(Task1, Sent, new AcknowledgeAssignment(), Decisions.Context).AssertAccepted();

        Assert.Equal(AssignmentStatus.Received, accepted.State.Status);
        Assert.Equal(Decisions.Now, accepted.State.ReceivedAt);
        Assert.Equal(new AssignmentStepped(AssignmentStatus.Sent, AssignmentStatus.Received), accepted.Change);
    }

    [Fact]
    public void Cannot_be_done_needs_the_reason() =>
        AssignmentRules.Decide(Task1, Sent with { Status = AssignmentStatus.Received }, new DeclineAssignment(), Decisions.Context).AssertInvalid("reason");

    [Fact]
    public void Sending_keeps_the_sender_and_the_district_it_concerns_and_leaves_the_instructions_in_the_loggbok()
    {
        var send = new SendAssignment("Kontakta äldreboenden utan reservkraft", "Ring alla fem boenden och fråga om reservkraft och mediciner.",
            new Assignee(AssigneeKind.CrisisBody, "lokal-farsta"), Decisions.Now.AddHours(3), "Svara i Lagesbild");

        var accepted = AssignmentRules.Decide(Task1, null, send, Decisions.Context with { Actor = Anna }).AssertAccepted();

        Assert.Equal(Anna, accepted.State.SentBy);
        Assert.Equal("farsta", accepted.State.District);
        Assert.Equal(AssignmentStatus.Sent, accepted.State.Status);
        Assert.DoesNotContain("mediciner", System.Text.Json.JsonSerializer.Serialize(accepted.State, DomainJson.Options));
        Assert.Contains("mediciner", ((AssignmentSent)accepted.Change).Instructions);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void A_deadline_that_has_passed_is_refused(int hours) =>
        AssignmentRules.Decide(Task1, null, new SendAssignment("Titel", null, new Assignee(AssigneeKind.District, "farsta"), Decisions.Now.AddHours(hours)), Decisions.Context)
            .AssertInvalid("due");

    [Fact]
    public void An_uppdrag_to_a_district_that_does_not_exist_is_refused() =>
        AssignmentRules.Decide(Task1, null, new SendAssignment("Titel", null, new Assignee(AssigneeKind.District, "atlantis"), Decisions.Now.AddHours(1)), Decisions.Context)
            .AssertInvalid("to.id");

    [Fact]
    public void Only_the_receiver_moves_an_uppdrag_forward()
    {
        foreach (var step in new[] { "AcknowledgeAssignment", "StartAssignment", "CompleteAssignment", "DeclineAssignment" })
        {
            Assert.Null(Access.Check(Sara, Task1, "farsta", Step(step), false, Sent));
            var other = Access.Check(Omar, Task1, "farsta", Step(step), false, Sent);
            Assert.Equal(RefusalKind.Forbidden, other?.Kind);
            Assert.Contains("bara mottagaren", other!.Reason);
            // The sender is not the receiver, central krisledning included.
            Assert.NotNull(Access.Check(Anna, Task1, "farsta", Step(step), false, Sent));
        }
    }

    [Fact]
    public void Only_the_sender_cancels()
    {
        Assert.Null(Access.Check(Anna, Task1, "farsta", new CancelAssignment(), false, Sent));
        Assert.Null(Access.Check(Anna with { Name = "Nästa skift på central krisledning" }, Task1, "farsta", new CancelAssignment(), false, Sent));
        var receiver = Access.Check(Sara, Task1, "farsta", new CancelAssignment(), false, Sent);
        Assert.Contains("Bara avsändaren", receiver!.Reason);
    }

    [Fact]
    public void Only_the_named_person_moves_an_uppdrag_to_her_forward_and_her_desk_colleagues_do_not()
    {
        var toSara = Sent with { To = new Assignee(AssigneeKind.Person, "Sara Ek"), District = null };
        var colleague = Sara with { Name = "Karin Nilsson" };
        foreach (var step in new[] { "AcknowledgeAssignment", "StartAssignment", "CompleteAssignment", "DeclineAssignment" })
        {
            Assert.Null(Access.Check(Sara, Task1, null, Step(step), false, toSara));
            var other = Access.Check(colleague, Task1, null, Step(step), false, toSara);
            Assert.Equal(RefusalKind.Forbidden, other?.Kind);
            Assert.Contains("Sara Ek", other!.Reason);
            Assert.NotNull(Access.Check(Anna, Task1, null, Step(step), false, toSara));
        }
        // The sender still takes it back; the named person does not.
        Assert.Null(Access.Check(Anna, Task1, null, new CancelAssignment(), false, toSara));
        Assert.NotNull(Access.Check(Sara, Task1, null, new CancelAssignment(), false, toSara));
    }

    [Fact]
    public void A_named_person_is_kept_by_her_name_with_its_spaces_tidied()
    {
        var send = new SendAssignment("Ring Fortum", null, new Assignee(AssigneeKind.Person, "  Lena   Ström "), Decisions.Now.AddHours(1));

        var accepted = AssignmentRules.Decide(Task1, null, send, Decisions.Context with { Actor = Anna }).AssertAccepted();

        Assert.Equal(new Assignee(AssigneeKind.Person, "Lena Ström"), accepted.State.To);
        Assert.Null(accepted.State.District);
    }

    [Theory]
    [InlineData(AssigneeKind.Sector, "energiforsorjning", Roles.Sector, null, "energiforsorjning", "Lena Ström", true)]
    [InlineData(AssigneeKind.Sector, "transporter", Roles.Sector, null, "energiforsorjning", "Lena Ström", false)]
    [InlineData(AssigneeKind.CrisisBody, "tib", Roles.DutyOfficer, null, null, "Per Lind", true)]
    [InlineData(AssigneeKind.CrisisBody, "krisledningsnamnden", Roles.Chair, null, null, "Eva Holm", true)]
    [InlineData(AssigneeKind.CrisisBody, "central-krisledning", Roles.DutyOfficer, null, null, "Per Lind", false)]
    [InlineData(AssigneeKind.CrisisBody, "lokal-farsta", Roles.District, "farsta", null, "Sara Ek", true)]
    [InlineData(AssigneeKind.Person, "Sara Ek", Roles.District, "farsta", null, "Sara Ek", true)]
    [InlineData(AssigneeKind.Person, "Sara Ek", Roles.District, "farsta", null, "Someone Else", false)]
    [InlineData(AssigneeKind.Person, "sara  ek", Roles.District, "farsta", null, "Sara Ek", true)]
    [InlineData(AssigneeKind.Person, "Lena Ström", Roles.Sector, null, "energiforsorjning", "LENA STRÖM", true)]
    [InlineData(AssigneeKind.Person, "Sara Ek", Roles.Central, null, null, "Anna Berg", false)]
    [InlineData(AssigneeKind.Person, "farsta", Roles.District, "farsta", null, "Sara Ek", false)]
    public void The_receiver_is_the_desk_or_person_the_uppdrag_names(AssigneeKind kind, string id, string role, string? district, string? sector, string name, bool receives) =>
        Assert.Equal(receives, Access.IsReceiver(new Actor(name, role, district, sector), new Assignee(kind, id)));
}
