using Lagesbild.Domain.City;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.City;

/// <summary>The city's place on the eskaleringstrappa and the decision behind it (beslutslogg).</summary>
public sealed class CityRulesTests
{
    private static readonly EntityRef Stockholm = new(EntityKind.City, CityRules.Id);

    private static readonly CityState Normal = new("Stockholms stad", EscalationLevel.Normal, null, null, null);

    private static Decision<CityState> Decide(CityState? state, CityCommand command) =>
        CityRules.Decide(Stockholm, state, command, Decisions.Context);

    [Fact]
    public void An_internal_reason_for_the_level_stays_out_of_the_citys_state()
    {
        var accepted = Decide(Normal, new ChangeCityLevel(EscalationLevel.SocietalDisturbance, "TiB") { Reason = "Internt: Vattenfall befarar fler haverier", Internal = true })
            .AssertAccepted();

        Assert.Null(accepted.State.Reason);
        Assert.True(accepted.State.ReasonInternal);
        Assert.Equal("TiB", accepted.State.DecidedBy);
        Assert.DoesNotContain("Vattenfall", System.Text.Json.JsonSerializer.Serialize(accepted.State, DomainJson.Options) + accepted.Change);
    }

    [Fact]
    public void A_reason_that_is_not_internal_is_kept_with_the_level()
    {
        var accepted = Decide(Normal, new ChangeCityLevel(EscalationLevel.SocietalDisturbance, "TiB") { Reason = " Storm över Söderort " }).AssertAccepted();

        Assert.Equal("Storm över Söderort", accepted.State.Reason);
        Assert.False(accepted.State.ReasonInternal);
    }

    [Fact]
    public void Registering_the_city_twice_is_refused_as_a_conflict() =>
        Decide(Normal, new RegisterCity("Stockholms stad")).AssertRefused(RefusalKind.Conflict);

    [Fact]
    public void A_city_that_was_never_registered_is_not_found() =>
        Decide(null, new ChangeCityLevel(EscalationLevel.SocietalDisturbance, "Stadsdirektören") { Reason = "Storm" }).AssertRefused(RefusalKind.NotFound);

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Changing_the_level_needs_who_decided(string? decidedBy) =>
        Decide(Normal, new ChangeCityLevel(EscalationLevel.ExtraordinaryEvent, decidedBy) { Reason = "Omfattande strömavbrott" }).AssertInvalid("decidedBy");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Changing_the_level_needs_a_reason(string? reason) =>
        Decide(Normal, new ChangeCityLevel(EscalationLevel.ExtraordinaryEvent, "Krisledningsnämndens ordförande") { Reason = reason }).AssertInvalid("reason");

    [Fact]
    public void Deciding_the_level_the_city_already_has_is_refused()
    {
        var refusal = Decide(Normal, new ChangeCityLevel(EscalationLevel.Normal, "Stadsdirektören") { Reason = "Läget är lugnt" })
            .AssertRefused(RefusalKind.Conflict);

        Assert.Contains("normalläge", refusal.Reason);
    }

    [Fact]
    public void A_level_decision_records_who_when_and_why()
    {
        var accepted = Decide(Normal, new ChangeCityLevel(EscalationLevel.ExtraordinaryEvent, " Krisledningsnämndens ordförande ")
        {
            Reason = " Omfattande strömavbrott i södra Stockholm ",
        }).AssertAccepted();

        Assert.Equal(new CityLevelChanged(EscalationLevel.Normal, EscalationLevel.ExtraordinaryEvent, "Krisledningsnämndens ordförande"), accepted.Change);
        Assert.Equal(
            new CityState("Stockholms stad", EscalationLevel.ExtraordinaryEvent, "Krisledningsnämndens ordförande", Decisions.Now, "Omfattande strömavbrott i södra Stockholm"),
            accepted.State);
    }
}
