using System.Collections.Immutable;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using static Lagesbild.Domain.SafetyPoints.SafetyPointStatus;

namespace Lagesbild.Domain.Tests.SafetyPoints;

public sealed class SafetyPointConditionTests
{
    private static readonly Actor Sara = new("sara", Roles.District, District: "farsta");
    private static readonly DecideContext BySara = Decisions.Context with { Actor = Sara };

    private static Decision<SafetyPointState> Report(SafetyPointState state, ReportSafetyPointCondition report, DecideContext? context = null) =>
        SafetyPointRules.Decide(Points.Farsta, state, report, context ?? BySara);

    /// <summary>Each status, as one report of it alone.</summary>
    public static TheoryData<ConditionKind> Kinds() => [.. Enum.GetValues<ConditionKind>()];

    private static ReportSafetyPointCondition Only(ConditionKind kind) => kind switch
    {
        ConditionKind.Power => new(Power: new PowerStatus(PowerSource.Backup, 20, Decisions.Now.AddHours(12))),
        ConditionKind.Heat => new(Heat: new HeatStatus(19.5)),
        ConditionKind.Water => new(Water: new WaterStatus(WaterSource.Stored, 800)),
        ConditionKind.Communications => new(Communications: new CommsStatus(true, false, true)),
        ConditionKind.Capacity => new(OvernightPlaces: 40),
        ConditionKind.Accessibility => new(Accessibility: new AccessibilityStatus(true, false)),
        ConditionKind.Staffing => new(Staffing: new StaffingStatus(4, 6, Decisions.Now.AddHours(8))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_status_is_kept_with_who_reported_it_and_when(ConditionKind kind)
    {
        var accepted = Report(Points.In(Open), Only(kind)).AssertAccepted();

        Assert.Equal(new StatusReport("sara", Decisions.Now), accepted.State.Condition.Reported[kind]);
        Assert.Equal([kind], accepted.State.Condition.Reported.Keys);
        var change = Assert.IsType<SafetyPointConditionReported>(accepted.Change);
        Assert.Equal([kind], change.Reported.Reported.Keys);
    }

    [Fact]
    public void A_later_report_of_one_status_leaves_the_others_and_their_dates()
    {
        var first = Report(Points.In(Open), new ReportSafetyPointCondition(
            Heat: new HeatStatus(19), Water: new WaterStatus(WaterSource.Mains))).AssertAccepted().State;
        var later = BySara with { Now = Decisions.Now.AddHours(1), Actor = Sara with { Name = "omar" } };

        var state = Report(first, new ReportSafetyPointCondition(Heat: new HeatStatus(16.5)), later).AssertAccepted().State;

        Assert.Equal(16.5, state.Condition.Heat!.IndoorCelsius);
        Assert.Equal(new StatusReport("omar", Decisions.Now.AddHours(1)), state.Condition.Reported[ConditionKind.Heat]);
        Assert.Equal(new WaterStatus(WaterSource.Mains), state.Condition.Water);
        Assert.Equal(new StatusReport("sara", Decisions.Now), state.Condition.Reported[ConditionKind.Water]);
    }

    [Fact]
    public void A_count_of_visitors_dates_the_capacity_status()
    {
        var accepted = SafetyPointRules.Decide(Points.Farsta, Points.In(Open), new ReportSafetyPointVisitors(30), BySara).AssertAccepted();

        Assert.Equal(new StatusReport("sara", Decisions.Now), accepted.State.Condition.Reported[ConditionKind.Capacity]);
    }

    [Theory]
    [InlineData("heat.indoorCelsius", 500.0)]
    [InlineData("heat.indoorCelsius", -273.0)]
    [InlineData("heat.indoorCelsius", double.NaN)]
    public void An_impossible_temperature_is_refused(string field, double celsius) =>
        Report(Points.In(Open), new ReportSafetyPointCondition(Heat: new HeatStatus(celsius))).AssertInvalid(field);

    [Fact]
    public void Negative_litres_are_refused() =>
        Report(Points.In(Open), new ReportSafetyPointCondition(Water: new WaterStatus(WaterSource.Stored, -5))).AssertInvalid("water.litres");

    [Fact]
    public void Stored_water_without_litres_is_refused() =>
        Report(Points.In(Open), new ReportSafetyPointCondition(Water: new WaterStatus(WaterSource.Stored))).AssertInvalid("water.litres");

    [Fact]
    public void Backup_power_without_hours_of_fuel_is_refused() =>
        Report(Points.In(Open), new ReportSafetyPointCondition(Power: new PowerStatus(PowerSource.Backup))).AssertInvalid("power.fuelHours");

    [Fact]
    public void Fuel_on_grid_power_is_refused_as_a_mix_up() =>
        Report(Points.In(Open), new ReportSafetyPointCondition(Power: new PowerStatus(PowerSource.Grid, 10))).AssertInvalid("power.fuelHours");

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 501)]
    public void Impossible_staffing_is_refused(int staff, int frg)
    {
        var problems = Report(Points.In(Open), new ReportSafetyPointCondition(Staffing: new StaffingStatus(staff, frg))).AssertRefused(RefusalKind.Invalid);
        Assert.Contains(problems.Errors!.Keys, k => k.StartsWith("staffing.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_communications_report_must_say_each_line_up_or_down() =>
        Report(Points.In(Open), new ReportSafetyPointCondition(Communications: new CommsStatus(true, null, true))).AssertInvalid("communications.internet");

    [Fact]
    public void A_report_of_nothing_is_refused() =>
        Report(Points.In(Open), new ReportSafetyPointCondition()).AssertInvalid("");
}
