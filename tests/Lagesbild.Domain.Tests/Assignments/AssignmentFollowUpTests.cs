using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Assignments;

/// <summary>Follow-up per district and sector, with a fake clock: tasks sent, acknowledged and finished as time passes.</summary>
public sealed class AssignmentFollowUpTests
{
    private static readonly Actor Anna = new("Anna Berg", Roles.Central);
    private static readonly Actor Sara = new("Sara Ek", Roles.District, District: "farsta");
    private static readonly Actor Lena = new("Lena Ström", Roles.Sector, Sector: "energiforsorjning");

    private readonly FakeTimeProvider _clock = new(Decisions.Now);
    private readonly Dictionary<string, AssignmentState> _tasks = [];

    private void Send(string id, Assignee to, TimeSpan due) =>
        _tasks[id] = Decide(id, new SendAssignment($"Uppdrag {id}", null, to, _clock.GetUtcNow() + due), Anna);

    private void Step(string id, AssignmentCommand step, Actor by) => _tasks[id] = Decide(id, step, by);

    private AssignmentState Decide(string id, AssignmentCommand command, Actor actor)
    {
        _tasks.TryGetValue(id, out var state);
        return AssignmentRules.Decide(new EntityRef(EntityKind.Assignment, id), state, command,
            new DecideContext(_clock.GetUtcNow(), FakeAreas.Stockholm, actor)).AssertAccepted().State;
    }

    private FollowUpRow Row(AssigneeKind kind, string id) =>
        AssignmentFollowUp.Compute(_tasks.Values, _clock).Single(r => r.Kind == kind && r.Id == id);

    [Fact]
    public void Open_overdue_and_the_median_times_follow_the_tasks_as_the_clock_moves()
    {
        var farsta = new Assignee(AssigneeKind.District, "farsta");
        Send("a", farsta, TimeSpan.FromHours(1));
        Send("b", farsta, TimeSpan.FromHours(3));
        Send("c", new Assignee(AssigneeKind.CrisisBody, "lokal-farsta"), TimeSpan.FromHours(3));
        Send("d", new Assignee(AssigneeKind.Sector, "energiforsorjning"), TimeSpan.FromHours(2));

        Assert.Equal(new FollowUpRow(AssigneeKind.District, "farsta", 3, 0, 3, null, null), Row(AssigneeKind.District, "farsta"));

        _clock.Advance(TimeSpan.FromMinutes(10));
        Step("a", new AcknowledgeAssignment(), Sara);
        _clock.Advance(TimeSpan.FromMinutes(20));
        Step("b", new AcknowledgeAssignment(), Sara);
        Step("d", new AcknowledgeAssignment(), Lena);
        _clock.Advance(TimeSpan.FromMinutes(30));
        Step("a", new CompleteAssignment(), Sara);
        // 90 minutes after sending: c is still unacknowledged, nothing is past its deadline yet but a was done in time.
        Assert.Equal(new FollowUpRow(AssigneeKind.District, "farsta", 2, 0, 1, 20, 60), Row(AssigneeKind.District, "farsta"));

        _clock.Advance(TimeSpan.FromHours(2));
        _clock.Advance(TimeSpan.FromMinutes(30));
        // 3 h 30 min: b and c are past their three hours; done tasks are never overdue.
        Assert.Equal(new FollowUpRow(AssigneeKind.District, "farsta", 2, 2, 1, 20, 60), Row(AssigneeKind.District, "farsta"));
        Assert.Equal(new FollowUpRow(AssigneeKind.Sector, "energiforsorjning", 1, 1, 0, 30, null), Row(AssigneeKind.Sector, "energiforsorjning"));
    }

    [Fact]
    public void A_cancelled_task_counts_nowhere_and_a_task_to_a_person_counts_for_the_district_it_was_sent_about()
    {
        Send("a", new Assignee(AssigneeKind.District, "sodermalm"), TimeSpan.FromHours(1));
        Step("a", new CancelAssignment(), Anna);
        _tasks["p"] = Decide("p", new SendAssignment("Ring Fortum", null, new Assignee(AssigneeKind.Person, "Sara Ek"), _clock.GetUtcNow().AddHours(1), District: "farsta"), Anna);
        _tasks["q"] = Decide("q", new SendAssignment("Ring Vattenfall", null, new Assignee(AssigneeKind.Person, "Sara Ek"), _clock.GetUtcNow().AddHours(1)), Anna);

        var rows = AssignmentFollowUp.Compute(_tasks.Values, _clock);

        Assert.Equal([new FollowUpRow(AssigneeKind.District, "farsta", 1, 0, 1, null, null)], rows);
    }
}
