using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.Assignments;

/// <summary>An event kind's default task list given to the affected districts: every task an ordinary uppdrag, or nothing.</summary>
public sealed class TaskListRulesTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<TaskTemplate>> Lists = new Dictionary<string, IReadOnlyList<TaskTemplate>>
    {
        ["langvarigt-elavbrott"] =
        [
            new("Kontrollera era trygghetspunkter", "Reservkraft, värme, vatten, bemanning.", 2),
            new("Kontakta vård- och omsorgsboenden utan reservkraft", null, 3, "Vilka som nåtts"),
        ],
    };

    [Fact]
    public void A_long_power_cut_gives_every_affected_district_both_tasks_in_the_lists_order()
    {
        var (tasks, refusal) = TaskListRules.Plan(new IssueTaskList("elavbrott-1", "langvarigt-elavbrott", ["farsta", "sodermalm"], "Söderort utan ström"),
            Lists, FakeAreas.Stockholm, Decisions.Now);

        Assert.Null(refusal);
        Assert.Equal(["elavbrott-1-farsta-1", "elavbrott-1-farsta-2", "elavbrott-1-sodermalm-1", "elavbrott-1-sodermalm-2"], tasks.Select(t => t.Id));
        var first = tasks[0].Command;
        Assert.Equal("Kontrollera era trygghetspunkter", first.Title);
        Assert.Equal(new Assignee(AssigneeKind.District, "farsta"), first.To);
        Assert.Equal(Decisions.Now.AddHours(2), first.Due);
        Assert.Equal("Söderort utan ström", first.Reason);
        Assert.Equal(Decisions.Now.AddHours(3), tasks[3].Command.Due);
        Assert.Equal("Vilka som nåtts", tasks[3].Command.ReportBack);
        // Each is an ordinary uppdrag: the rules accept it as if sent by hand.
        foreach (var (id, command) in tasks)
            AssignmentRules.Decide(new EntityRef(EntityKind.Assignment, id), null, command, Decisions.Context).AssertAccepted();
    }

    [Theory]
    [InlineData("elavbrott-1", "skogsbrand", "farsta", "eventKind")]
    [InlineData("elavbrott-1", null, "farsta", "eventKind")]
    [InlineData("elavbrott-1", "langvarigt-elavbrott", "atlantis", "districts")]
    [InlineData("elavbrott-1", "langvarigt-elavbrott", "", "districts")]
    [InlineData("Elavbrott 1", "langvarigt-elavbrott", "farsta", "id")]
    [InlineData("en-lista-vars-id-ar-langre-an-trettio-tecken", "langvarigt-elavbrott", "farsta", "id")]
    public void A_list_that_cannot_be_given_whole_is_refused_and_says_which_field(string? id, string? kind, string districts, string field)
    {
        var (tasks, refusal) = TaskListRules.Plan(new IssueTaskList(id, kind, [.. districts.Split(',', StringSplitOptions.RemoveEmptyEntries)]),
            Lists, FakeAreas.Stockholm, Decisions.Now);

        Assert.Empty(tasks);
        Assert.Equal(RefusalKind.Invalid, refusal?.Kind);
        Assert.Contains(field, refusal!.Errors!.Keys);
    }

    [Fact]
    public void An_unknown_event_kind_is_refused_naming_the_kinds_there_are()
    {
        var (_, refusal) = TaskListRules.Plan(new IssueTaskList("x", "skogsbrand", ["farsta"]), Lists, FakeAreas.Stockholm, Decisions.Now);

        Assert.Contains("langvarigt-elavbrott", refusal!.Errors!["eventKind"][0]);
    }

    [Fact]
    public void Only_central_krisledning_gives_a_task_list()
    {
        Assert.Null(Access.CheckTaskList(new Actor("Anna Berg", Roles.Central)));
        foreach (var role in Roles.All.Where(r => r != Roles.Central))
            Assert.Equal(RefusalKind.Forbidden, Access.CheckTaskList(new Actor("Någon", role, "farsta", "energiforsorjning"))?.Kind);
    }
}
