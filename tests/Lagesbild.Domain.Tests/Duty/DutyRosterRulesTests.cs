using Lagesbild.Domain.Duty;
using Lagesbild.Domain.Picture;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Duty;

/// <summary>A beredskapsschema: shifts without gap or overlap, hand-over, who is on duty now, and who may keep it.</summary>
public sealed class DutyRosterRulesTests
{
    private static readonly EntityRef Tib = new(EntityKind.DutyRoster, "tib");
    private static readonly EntityRef Farsta = new(EntityKind.DutyRoster, "district-farsta");
    private static readonly DateTimeOffset Now = Decisions.Now;

    private static PlannedShift Shift(string person, double fromHours, double toHours) =>
        new(person, Now.AddHours(fromHours), Now.AddHours(toHours), "08-508 000 00");

    private static DutyRosterState Planned(params PlannedShift[] shifts) =>
        DutyRosterRules.Decide(Tib, null, new PlanDutyRoster(shifts), Decisions.Context).AssertAccepted().State;

    [Fact]
    public void Shifts_that_follow_each_other_are_accepted_in_time_order_whatever_order_they_came_in()
    {
        var state = Planned(Shift("Karin", 14, 38), Shift("Per", -10, 14));
        Assert.Equal(["Per", "Karin"], state.Shifts.Select(s => s.Person));
        Assert.Equal("Per", DutyRosterRules.OnDuty(state, Now)!.Person);
        Assert.Equal("Karin", DutyRosterRules.OnDuty(state, Now.AddHours(14))!.Person);
        Assert.Null(DutyRosterRules.OnDuty(state, Now.AddHours(38)));
    }

    [Fact]
    public void Overlapping_shifts_are_refused_naming_both()
    {
        var errors = DutyRosterRules.Decide(Tib, null, new PlanDutyRoster([Shift("Per", 0, 14), Shift("Karin", 12, 30)]), Decisions.Context)
            .AssertInvalid("shifts");
        Assert.Contains("överlappar", errors[0]);
        Assert.Contains("Per", errors[0]);
        Assert.Contains("Karin", errors[0]);
    }

    [Fact]
    public void A_gap_between_shifts_is_refused_saying_when_nobody_is_on_duty()
    {
        var errors = DutyRosterRules.Decide(Tib, null, new PlanDutyRoster([Shift("Per", 0, 14), Shift("Karin", 15, 30)]), Decisions.Context)
            .AssertInvalid("shifts");
        Assert.Contains("ingen beredskap", errors[0]);
    }

    [Fact]
    public void A_shift_that_ends_before_it_starts_or_lacks_a_person_is_refused_by_field()
    {
        var decision = DutyRosterRules.Decide(Tib, null, new PlanDutyRoster([new PlannedShift(" ", Now, Now.AddHours(-1))]), Decisions.Context);
        decision.AssertInvalid("shifts[0].person");
        decision.AssertInvalid("shifts[0].to");
    }

    [Fact]
    public void A_new_plan_that_leaves_nobody_on_duty_now_is_refused()
    {
        var state = Planned(Shift("Per", -2, 10));
        DutyRosterRules.Decide(Tib, state, new PlanDutyRoster([Shift("Karin", 1, 20)]), Decisions.Context).AssertInvalid("shifts");
        DutyRosterRules.Decide(Tib, state, new PlanDutyRoster([Shift("Per", -2, 1), Shift("Karin", 1, 20)]), Decisions.Context).AssertAccepted();
    }

    [Fact]
    public void A_hand_over_gives_the_rest_of_the_shift_to_the_next_person_and_keeps_the_plan_after_it()
    {
        var state = Planned(Shift("Per", -2, 10), Shift("Karin", 10, 30));
        var accepted = DutyRosterRules.Decide(Tib, state, new HandOverDuty("Ali", "070-000 00 00"), Decisions.Context).AssertAccepted();
        var handed = Assert.IsType<DutyHandedOver>(accepted.Change);
        Assert.Equal(("Per", "Ali", Now.AddHours(10)), (handed.From, handed.To, handed.Until));
        Assert.Equal(["Per", "Ali", "Karin"], accepted.State.Shifts.Select(s => s.Person));
        Assert.Equal("Ali", DutyRosterRules.OnDuty(accepted.State, Now)!.Person);
        Assert.Equal("Per", DutyRosterRules.OnDuty(accepted.State, Now.AddMinutes(-1))!.Person);
        Assert.Equal("Karin", DutyRosterRules.OnDuty(accepted.State, Now.AddHours(10))!.Person);
    }

    [Fact]
    public void A_hand_over_when_nobody_is_on_duty_or_to_the_same_person_is_refused()
    {
        var later = Planned(Shift("Karin", 1, 20));
        DutyRosterRules.Decide(Tib, later, new HandOverDuty("Ali"), Decisions.Context).AssertRefused(RefusalKind.Conflict);
        var now = Planned(Shift("Per", -1, 20));
        DutyRosterRules.Decide(Tib, now, new HandOverDuty("Per"), Decisions.Context).AssertRefused(RefusalKind.Conflict);
        DutyRosterRules.Decide(Tib, null, new HandOverDuty("Per"), Decisions.Context).AssertRefused(RefusalKind.NotFound);
    }

    [Theory]
    [InlineData("brandkaren")]
    [InlineData("district-")]
    [InlineData("district-atlantis")]
    public void A_roster_for_no_known_duty_is_refused(string id) =>
        DutyRosterRules.Decide(new EntityRef(EntityKind.DutyRoster, id), null, new PlanDutyRoster([Shift("Per", 0, 10)]), Decisions.Context)
            .AssertInvalid("id");

    [Fact]
    public void A_district_roster_belongs_to_its_district()
    {
        var state = DutyRosterRules.Decide(Farsta, null, new PlanDutyRoster([Shift("Sara", 0, 10)]), Decisions.Context).AssertAccepted().State;
        Assert.Equal("farsta", state.District);
    }

    [Fact]
    public void Each_duty_keeps_its_own_roster_and_central_krisledning_keeps_them_all()
    {
        var plan = new PlanDutyRoster([Shift("Per", 0, 10)]);
        Refusal? Check(Actor actor, string roster) => Access.Check(actor, new EntityRef(EntityKind.DutyRoster, roster), DutyRosterRules.DistrictOf(roster), plan, outsideOfficeHours: true);
        var anna = new Actor("Anna", Roles.Central);
        var per = new Actor("Per", Roles.DutyOfficer);
        var sara = new Actor("Sara", Roles.District, District: "farsta");
        var lena = new Actor("Lena", Roles.Sector, Sector: "energi");
        var polis = new Actor("Polis", Roles.Observer);
        Assert.Null(Check(anna, "tib"));
        Assert.Null(Check(anna, "district-farsta"));
        Assert.Null(Check(per, "tib"));
        Assert.NotNull(Check(per, "district-farsta"));
        Assert.Null(Check(sara, "district-farsta"));
        Assert.NotNull(Check(sara, "district-sodermalm"));
        Assert.NotNull(Check(sara, "tib"));
        Assert.Null(Check(lena, "sector-energi"));
        Assert.NotNull(Check(lena, "sector-transporter"));
        Assert.NotNull(Check(polis, "tib"));
    }

    [Fact]
    public void The_tib_is_in_force_on_midsommarafton_and_not_during_office_hours_the_day_before()
    {
        // A week's TiB shift from Monday 15 June 2026; Thursday 18 June 10:00 in Stockholm is office hours.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 18, 8, 0, 0, TimeSpan.Zero));
        var week = new DutyShift("Per", new DateTimeOffset(2026, 6, 15, 6, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 6, 22, 6, 0, 0, TimeSpan.Zero));
        var state = new DutyRosterState("TiB", [week]);

        var thursday = DutyRosterRules.Now("tib", state, clock.GetUtcNow(), OfficeHours.Stockholm);
        clock.Advance(TimeSpan.FromDays(1));
        var midsommarafton = DutyRosterRules.Now("tib", state, clock.GetUtcNow(), OfficeHours.Stockholm);

        Assert.Equal(("Per", false), (thursday.Now?.Person, thursday.InForce));
        Assert.Equal(("Per", true), (midsommarafton.Now?.Person, midsommarafton.InForce));
    }
}
