using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.CrisisBodies;

/// <summary>A krisledningsorgan: activation, who is on duty, and its next meeting.</summary>
public sealed class CrisisBodyRulesTests
{
    private static readonly EntityRef Central = new(EntityKind.CrisisBody, "central-krisledning");

    private static readonly CrisisBodyState Standing = new("Central krisledning", CrisisBodyKind.CentralCrisisManagement, null, Activation.Inactive, [], null);

    private static Decision<CrisisBodyState> Decide(CrisisBodyState? state, CrisisBodyCommand command) =>
        CrisisBodyRules.Decide(Central, state, command, Decisions.Context);

    [Fact]
    public void Registering_a_crisis_body_twice_is_refused_as_a_conflict() =>
        Decide(Standing, new RegisterCrisisBody("Central krisledning", CrisisBodyKind.CentralCrisisManagement, null)).AssertRefused(RefusalKind.Conflict);

    [Fact]
    public void A_crisis_body_that_was_never_registered_is_not_found() =>
        Decide(null, new ChangeCrisisBodyActivation(Activation.Activated)).AssertRefused(RefusalKind.NotFound);

    [Fact]
    public void The_duty_officer_starts_in_standby()
    {
        var accepted = Decide(null, new RegisterCrisisBody("TiB", CrisisBodyKind.DutyOfficer, null)).AssertAccepted();

        Assert.Equal(Activation.Standby, accepted.State.Activation);
    }

    [Fact]
    public void Local_crisis_management_must_name_its_district() =>
        Decide(null, new RegisterCrisisBody("Lokal krisledning", CrisisBodyKind.LocalCrisisManagement, null)).AssertInvalid("district");

    [Fact]
    public void Local_crisis_management_in_a_district_the_city_does_not_have_is_invalid() =>
        Decide(null, new RegisterCrisisBody("Lokal krisledning", CrisisBodyKind.LocalCrisisManagement, "ostermalm")).AssertInvalid("district");

    [Fact]
    public void A_meeting_in_the_past_is_refused()
    {
        var messages = Decide(Standing, new ScheduleCrisisBodyMeeting(Decisions.Now.AddHours(-2), "Stadshuset")).AssertInvalid("at");

        Assert.Contains(messages, m => m.Contains("förflutna"));
    }

    [Fact]
    public void A_meeting_that_began_within_the_hour_can_still_be_recorded()
    {
        var at = Decisions.Now.AddMinutes(-30);

        var accepted = Decide(Standing, new ScheduleCrisisBodyMeeting(at, " Stadshuset ")).AssertAccepted();

        Assert.Equal(new Meeting(at, "Stadshuset"), accepted.State.NextMeeting);
    }

    [Fact]
    public void A_meeting_exactly_an_hour_ago_or_exactly_a_year_ahead_is_accepted()
    {
        Decide(Standing, new ScheduleCrisisBodyMeeting(Decisions.Now.AddHours(-1), "Stadshuset")).AssertAccepted();
        Decide(Standing, new ScheduleCrisisBodyMeeting(Decisions.Now.AddYears(1), "Stadshuset")).AssertAccepted();
    }

    [Fact]
    public void A_meeting_a_moment_more_than_an_hour_ago_is_refused() =>
        Decide(Standing, new ScheduleCrisisBodyMeeting(Decisions.Now.AddHours(-1).AddTicks(-1), "Stadshuset")).AssertInvalid("at");

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(7973, 0)]
    public void A_meeting_more_than_a_year_ahead_is_refused(int years, int ticks)
    {
        var at = Decisions.Now.AddYears(1 + years).AddTicks(ticks);

        var messages = Decide(Standing, new ScheduleCrisisBodyMeeting(at, "Stadshuset")).AssertInvalid("at");

        Assert.Contains(messages, m => m.Contains("ett år"));
    }

    [Fact]
    public void A_meeting_needs_a_place() =>
        Decide(Standing, new ScheduleCrisisBodyMeeting(Decisions.Now.AddHours(2), null)).AssertInvalid("place");

    [Fact]
    public void Cancelling_a_meeting_when_none_is_planned_is_refused_as_a_conflict() =>
        Decide(Standing, new ScheduleCrisisBodyMeeting(null, null)).AssertRefused(RefusalKind.Conflict);

    [Fact]
    public void Activating_a_body_that_is_already_activated_is_refused_as_a_conflict() =>
        Decide(Standing with { Activation = Activation.Activated }, new ChangeCrisisBodyActivation(Activation.Activated)).AssertRefused(RefusalKind.Conflict);
}
