using System.Collections.Immutable;
using Lagesbild.Domain.SafetyPoints;
using static Lagesbild.Domain.SafetyPoints.SafetyPointStatus;

namespace Lagesbild.Domain.Tests.SafetyPoints;

public sealed class SafetyPointAttentionTests
{
    private static readonly DateTimeOffset Reported = Decisions.Now;

    private static readonly AttentionThresholds City = new(
        FuelBelowHours: 6,
        MinIndoorCelsius: 18,
        FullAbovePercent: 90,
        NoReportAfter: TimeSpan.FromHours(2),
        StaleAfter: Enum.GetValues<ConditionKind>().ToImmutableDictionary(k => k, k => k == ConditionKind.Power ? TimeSpan.FromHours(1) : TimeSpan.FromHours(3)),
        FuelPriority: ["skarholmen-masholmstorget", "farsta-storforsplan"]);

    private static SafetyPointState With(SafetyPointState point, ConditionKind kind, Func<SafetyPointCondition, SafetyPointCondition> set) =>
        point with { Condition = set(point.Condition).Stamped(kind, new StatusReport("sara", Reported)) };

    private static SafetyPointState OnBackup(double fuelHours) =>
        With(Points.In(Open), ConditionKind.Power, c => c with { Power = new PowerStatus(PowerSource.Backup, fuelHours) });

    private static ImmutableArray<AttentionReason> Judge(SafetyPointState point, TimeSpan later, DateTimeOffset? lastChange = null) =>
        SafetyPointAttention.Judge("farsta-storforsplan", point, lastChange ?? Reported + later, Reported + later, City).Reasons;

    private static bool Has(ImmutableArray<AttentionReason> reasons, AttentionRule rule) => reasons.Any(r => r.Rule == rule);

    [Theory]
    [InlineData(6.0, false)]
    [InlineData(5.9, true)]
    public void Fuel_below_the_citys_hours_needs_attention(double fuelHours, bool attention) =>
        Assert.Equal(attention, Has(Judge(OnBackup(fuelHours), TimeSpan.Zero), AttentionRule.FuelLow));

    [Fact]
    public void Fuel_burns_down_while_nobody_reports_and_the_mark_comes_by_time_alone()
    {
        var point = OnBackup(8);

        var (before, changesAt) = SafetyPointAttention.Judge("farsta-storforsplan", point, Reported, Reported + TimeSpan.FromMinutes(119), City);
        var after = Judge(point, TimeSpan.FromMinutes(121), lastChange: Reported);

        Assert.False(Has(before, AttentionRule.FuelLow));
        Assert.Equal(Reported + TimeSpan.FromHours(2), changesAt);
        Assert.Equal(6, Assert.Single(after, r => r.Rule == AttentionRule.FuelLow).Threshold);
    }

    [Fact]
    public void Where_fuel_is_short_the_citys_refuelling_order_is_shown()
    {
        var fuel = Assert.Single(Judge(OnBackup(2), TimeSpan.Zero), r => r.Rule == AttentionRule.FuelLow);

        Assert.Equal(2, fuel.FuelRank);
        Assert.Equal(2, fuel.Value);
    }

    [Fact]
    public void A_refuelled_point_is_clear_again()
    {
        var refuelled = With(OnBackup(2), ConditionKind.Power, c => c with { Power = new PowerStatus(PowerSource.Backup, 24) });

        Assert.False(Has(Judge(refuelled, TimeSpan.Zero), AttentionRule.FuelLow));
    }

    [Theory]
    [InlineData(18.0, false)]
    [InlineData(17.9, true)]
    public void Colder_than_the_citys_minimum_needs_attention(double celsius, bool attention)
    {
        var point = With(Points.In(Open), ConditionKind.Heat, c => c with { Heat = new HeatStatus(celsius) });

        Assert.Equal(attention, Has(Judge(point, TimeSpan.Zero), AttentionRule.TooCold));
    }

    [Theory]
    [InlineData(135, false)] // 90 % of 150
    [InlineData(136, true)]
    public void More_visitors_than_the_citys_share_of_capacity_needs_attention(int visitors, bool attention) =>
        Assert.Equal(attention, Has(Judge(Points.In(Open, visitors), TimeSpan.Zero), AttentionRule.NearlyFull));

    [Theory]
    [InlineData(119, false)]
    [InlineData(120, true)]
    public void A_point_quiet_for_longer_than_the_city_allows_needs_attention(int minutes, bool attention) =>
        Assert.Equal(attention, Has(Judge(Points.In(Open), TimeSpan.FromMinutes(minutes), lastChange: Reported), AttentionRule.NoReport));

    [Theory]
    [InlineData(0, 0, Open, true)]
    [InlineData(0, 0, Limited, true)]
    [InlineData(0, 1, Open, false)]
    [InlineData(1, 0, Open, false)]
    [InlineData(0, 0, Activating, false)]
    public void An_open_point_without_staff_needs_attention(int staff, int frg, SafetyPointStatus status, bool attention)
    {
        var point = With(Points.In(status), ConditionKind.Staffing, c => c with { Staffing = new StaffingStatus(staff, frg) });

        Assert.Equal(attention, Has(Judge(point, TimeSpan.Zero), AttentionRule.OpenWithoutStaff));
    }

    [Theory]
    [InlineData(ConditionKind.Power, 59, false)]
    [InlineData(ConditionKind.Power, 60, true)]
    [InlineData(ConditionKind.Heat, 179, false)]
    [InlineData(ConditionKind.Heat, 180, true)]
    public void A_status_not_reported_within_its_time_turns_stale(ConditionKind kind, int minutes, bool stale)
    {
        var point = With(Points.In(Open), kind, c => c with { Power = new PowerStatus(PowerSource.Grid), Heat = new HeatStatus(20) });

        var reasons = Judge(point, TimeSpan.FromMinutes(minutes));

        Assert.Equal(stale, reasons.Any(r => r.Rule == AttentionRule.StatusStale && r.Status == kind));
    }

    [Fact]
    public void A_fresh_report_clears_the_stale_mark()
    {
        var point = With(Points.In(Open), ConditionKind.Heat, c => c with { Heat = new HeatStatus(20) });
        var reportedAgain = point with { Condition = point.Condition.Stamped(ConditionKind.Heat, new StatusReport("omar", Reported + TimeSpan.FromHours(4))) };

        Assert.True(Has(Judge(point, TimeSpan.FromHours(4)), AttentionRule.StatusStale));
        Assert.False(Has(Judge(reportedAgain, TimeSpan.FromHours(4)), AttentionRule.StatusStale));
    }

    [Theory]
    [InlineData(Inactive)]
    [InlineData(Closed)]
    public void A_point_not_in_operation_needs_no_attention(SafetyPointStatus status)
    {
        var point = With(Points.In(status), ConditionKind.Heat, c => c with { Heat = new HeatStatus(5) });

        Assert.Empty(Judge(point, TimeSpan.FromDays(2), lastChange: Reported));
    }

    [Fact]
    public void A_point_in_good_order_needs_no_attention() =>
        Assert.Empty(Judge(With(OnBackup(24), ConditionKind.Heat, c => c with { Heat = new HeatStatus(20) }), TimeSpan.FromMinutes(10)));
}
