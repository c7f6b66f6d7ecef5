using System.Collections.Frozen;
using System.Collections.Immutable;
using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;
using Lagesbild.Domain.Tests.SafetyPoints;

namespace Lagesbild.Domain.Tests.Alerts;

/// <summary>The rules over the picture: each raises its alert when it holds (on), none when it does not (off), and one cause raises one alert while it is open.</summary>
public sealed class AlertCausesTests
{
    private static readonly DateTimeOffset Now = Decisions.Now;

    private static readonly AlertRuleSettings City = new(
        Enum.GetValues<AlertRule>().ToImmutableHashSet(),
        new AttentionThresholds(3, 18, 90, TimeSpan.FromHours(2),
            Enum.GetValues<ConditionKind>().ToImmutableDictionary(k => k, _ => TimeSpan.FromHours(3)), []),
        new ReportingRhythm(new Dictionary<EscalationLevel, TimeSpan> { [EscalationLevel.SocietalDisturbance] = TimeSpan.FromHours(4) }.ToFrozenDictionary(), TimeSpan.FromMinutes(30)),
        TimeSpan.FromMinutes(30));

    private static SourcedState S(EntityKind kind, string id, object state, long seq = 7) => new(new EntityRef(kind, id), seq, state);

    private static SourcedState Sector(SectorStatus status) =>
        S(EntityKind.Sector, "energi", new SectorState("Energiförsörjning", "Ellevio", status, status == SectorStatus.Normal ? [] : ["farsta"], null, null));

    private static SourcedState District(LocalLevel level) => S(EntityKind.District, "farsta", new DistrictState("Farsta", DistrictSituation.Normal, level, null, null));

    private static SourcedState OnBackup(double fuelHours, DateTimeOffset reported)
    {
        var open = Points.In(SafetyPointStatus.Open);
        var condition = (open.Condition with { Power = new PowerStatus(PowerSource.Backup, fuelHours) }).Stamped(ConditionKind.Power, new StatusReport("sara", reported));
        return S(EntityKind.SafetyPoint, "farsta-storforsplan", open with { Condition = condition });
    }

    private static SourcedState Task(AssignmentStatus status, DateTimeOffset sentAt) => S(EntityKind.Assignment, "u-1",
        new AssignmentState("Öppna trygghetspunkten", new Assignee(AssigneeKind.District, "farsta"), new Actor("Anna Berg", Roles.Central), sentAt,
            sentAt.AddHours(2), status, "farsta"));

    private static ImmutableArray<AlertCause> Judge(DateTimeOffset now, params SourcedState[] states) => AlertCauses.Judge(states, City, now).Causes;

    [Theory]
    [InlineData(SectorStatus.Normal, null)]
    [InlineData(SectorStatus.Disturbed, null)]
    [InlineData(SectorStatus.SeriouslyDisturbed, AlertSeverity.Severe)]
    [InlineData(SectorStatus.Down, AlertSeverity.Critical)]
    public void A_sector_seriously_disturbed_or_down_raises_an_alert_linked_to_the_sector_and_its_entry(SectorStatus status, AlertSeverity? severity)
    {
        var causes = Judge(Now, Sector(status));
        if (severity is null)
        {
            Assert.Empty(causes);
            return;
        }
        var cause = Assert.Single(causes);
        Assert.Equal((AlertRule.SectorDown, severity.Value, "Sector/energi", 7L), (cause.Rule, cause.Severity, cause.Entity, cause.Seq));
        Assert.Contains("Energiförsörjning", cause.Title);
    }

    [Fact]
    public void Fuel_below_the_threshold_raises_an_alert_once_it_has_burnt_down_and_says_when_it_will()
    {
        var point = OnBackup(5, Now);
        var (before, changesAt) = AlertCauses.Judge([point], City, Now);
        Assert.Empty(before);
        Assert.Equal(Now.AddHours(2), changesAt);
        var cause = Assert.Single(Judge(Now.AddHours(2.5), point));
        Assert.Equal((AlertRule.FuelLow, "SafetyPoint/farsta-storforsplan", "farsta"), (cause.Rule, cause.Entity, cause.District));
        Assert.Contains("2,5 h", cause.Title);
    }

    [Fact]
    public void A_raised_local_level_raises_an_alert_for_the_district_and_normal_raises_none()
    {
        Assert.Empty(Judge(Now, District(LocalLevel.Normal)));
        var cause = Assert.Single(Judge(Now, District(LocalLevel.SeriousLocalIncident)));
        Assert.Equal((AlertRule.LocalLevelRaised, AlertSeverity.Severe, "farsta"), (cause.Rule, cause.Severity, cause.District));
    }

    [Fact]
    public void An_uppdrag_unacknowledged_after_the_citys_time_raises_an_alert_and_an_acknowledged_one_none()
    {
        var sent = Now.AddMinutes(-29);
        var (early, changesAt) = AlertCauses.Judge([Task(AssignmentStatus.Sent, sent)], City, Now);
        Assert.Empty(early);
        Assert.Equal(sent.AddMinutes(30), changesAt);
        Assert.Equal(AlertRule.AssignmentUnacknowledged, Assert.Single(Judge(Now.AddMinutes(1), Task(AssignmentStatus.Sent, sent))).Rule);
        Assert.Empty(Judge(Now.AddMinutes(1), Task(AssignmentStatus.Received, sent)));
    }

    [Fact]
    public void A_district_late_with_its_lagesrapport_raises_an_alert_judged_by_the_reporting_rules()
    {
        var city = S(EntityKind.City, CityRules.Id, new CityState("Stockholm", EscalationLevel.SocietalDisturbance, "Anna Berg", Now.AddHours(-5), null));
        var cause = Assert.Single(Judge(Now, city, District(LocalLevel.Normal)));
        Assert.Equal((AlertRule.ReportOverdue, "District/farsta"), (cause.Rule, cause.Entity));
        Assert.Empty(Judge(Now.AddHours(-2), city, District(LocalLevel.Normal)));
    }

    [Fact]
    public void A_rule_the_city_has_turned_off_raises_nothing()
    {
        var off = City with { On = City.On.Remove(AlertRule.SectorDown) };
        Assert.Empty(AlertCauses.Judge([Sector(SectorStatus.Down)], off, Now).Causes);
    }

    [Fact]
    public void The_same_cause_raises_no_second_alert_while_the_first_is_open_and_a_new_one_after_it_cleared()
    {
        var cause = Assert.Single(Judge(Now, Sector(SectorStatus.Down)));
        var first = AlertCauses.Plan([cause], [], City.On);
        var (id, _) = Assert.Single(first.Raise);
        var raised = Raised(cause);

        var again = AlertCauses.Plan([cause], [(id, raised)], City.On);
        Assert.Empty(again.Raise);
        Assert.Empty(again.Clear);

        var acknowledged = raised with { AcknowledgedAt = Now, AcknowledgedBy = "Per Lind" };
        Assert.Empty(AlertCauses.Plan([cause], [(id, acknowledged)], City.On).Raise);

        var gone = AlertCauses.Plan([], [(id, acknowledged)], City.On);
        Assert.Equal([id], gone.Clear.ToArray());

        var cleared = acknowledged with { ClearedAt = Now };
        var (second, _) = Assert.Single(AlertCauses.Plan([cause], [(id, cleared)], City.On).Raise);
        Assert.NotEqual(id, second);
        Assert.Empty(AlertCauses.Plan([], [(id, cleared)], City.On).Clear);
    }

    [Fact]
    public void Every_node_names_the_same_alert_for_the_same_cause()
    {
        var cause = Assert.Single(Judge(Now, Sector(SectorStatus.Down)));
        Assert.Equal(AlertCauses.Plan([cause], [], City.On).Raise[0].Id, AlertCauses.Plan([cause], [], City.On).Raise[0].Id);
        Assert.True(EntityRef.IsValidId(AlertCauses.IdOf(cause.Key, 12)));
    }

    private static AlertState Raised(AlertCause cause) => new(cause.Title, cause.Severity, cause.ToRef(), AlertCauses.Describe(cause.Rule), "tib", Now,
        [new AlertRecipient("Per Lind", null, "tib", 1, Now, RecipientState.NotConfirmed)], 1, Now.AddMinutes(10));
}
