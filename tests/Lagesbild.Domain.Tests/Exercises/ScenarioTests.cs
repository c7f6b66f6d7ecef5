using Lagesbild.Domain.Exercises;

namespace Lagesbild.Domain.Tests.Exercises;

public sealed class ScenarioTests
{
    private static Inject At(string id, int minutes) =>
        new(id, TimeSpan.FromMinutes(minutes), InjectDelivery.Message, "SOS Alarm", InjectTargetKind.District, "farsta", "Text", null, null);

    private static readonly Inject[] Injects = [At("c", 30), At("a", 10), At("b", 10), At("d", 60)];
    private static readonly HashSet<string> NoneDelivered = [];
    private static readonly Dictionary<string, InjectHandling> NoHandling = [];

    [Fact]
    public void An_inject_is_due_at_its_scenario_time_and_not_a_moment_before()
    {
        Assert.Empty(Scenario.Due(Injects, TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1), NoneDelivered, NoHandling));
        Assert.Equal(["a", "b"], Scenario.Due(Injects, TimeSpan.FromMinutes(10), NoneDelivered, NoHandling).Select(i => i.Id));
        Assert.Equal(["a", "b", "c"], Scenario.Due(Injects, TimeSpan.FromMinutes(45), NoneDelivered, NoHandling).Select(i => i.Id));
    }

    [Fact]
    public void A_delivered_inject_is_never_due_again()
    {
        Assert.Equal(["c"], Scenario.Due(Injects, TimeSpan.FromMinutes(45), new HashSet<string> { "a", "b" }, NoHandling).Select(i => i.Id));
    }

    [Fact]
    public void A_skipped_inject_is_never_due_and_a_delayed_one_comes_after_its_delay()
    {
        var handling = new Dictionary<string, InjectHandling>
        {
            ["a"] = new(TimeSpan.Zero, Skipped: true),
            ["b"] = new(TimeSpan.FromMinutes(25), Skipped: false),
        };

        Assert.Equal(["c"], Scenario.Due(Injects, TimeSpan.FromMinutes(34), NoneDelivered, handling).Select(i => i.Id));
        Assert.Equal(["c", "b"], Scenario.Due(Injects, TimeSpan.FromMinutes(35), NoneDelivered, handling).Select(i => i.Id));
    }
}
