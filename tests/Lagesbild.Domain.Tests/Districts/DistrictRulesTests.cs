using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.Districts;

/// <summary>A stadsdelsområde: its situation, its own local level and its duty contact.</summary>
public sealed class DistrictRulesTests
{
    private static readonly EntityRef Farsta = new(EntityKind.District, "farsta");

    private static readonly DistrictState Normal = new("Farsta", DistrictSituation.Normal, LocalLevel.Normal, null, null);

    private static Decision<DistrictState> Decide(DistrictState? state, DistrictCommand command) =>
        DistrictRules.Decide(Farsta, state, command);

    [Fact]
    public void A_registered_district_starts_in_normal_situation_and_level()
    {
        var accepted = Decide(null, new RegisterDistrict("Farsta")).AssertAccepted();

        Assert.Equal(Normal, accepted.State);
    }

    [Fact]
    public void Registering_a_district_twice_is_refused_as_a_conflict() =>
        Decide(Normal, new RegisterDistrict("Farsta")).AssertRefused(RefusalKind.Conflict);

    [Fact]
    public void A_district_that_was_never_registered_is_not_found() =>
        Decide(null, new SetDistrictSituation(DistrictSituation.Strained)).AssertRefused(RefusalKind.NotFound);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Raising_the_local_level_needs_a_reason(string? reason) =>
        Decide(Normal, new ChangeDistrictLocalLevel(LocalLevel.LocalIncident) { Reason = reason }).AssertInvalid("reason");

    [Fact]
    public void Raising_the_local_level_records_why()
    {
        var accepted = Decide(Normal, new ChangeDistrictLocalLevel(LocalLevel.LocalIncident) { Reason = " Strömavbrott i Hökarängen " }).AssertAccepted();

        Assert.Equal(new DistrictLocalLevelChanged(LocalLevel.Normal, LocalLevel.LocalIncident), accepted.Change);
        Assert.Equal(LocalLevel.LocalIncident, accepted.State.LocalLevel);
        Assert.Equal("Strömavbrott i Hökarängen", accepted.State.LocalLevelReason);
    }

    [Fact]
    public void An_internal_reason_for_the_local_level_stays_out_of_the_districts_state()
    {
        const string note = "Internt: äldreboendet saknar reservkraft";
        var accepted = Decide(Normal, new ChangeDistrictLocalLevel(LocalLevel.LocalIncident) { Reason = note, Internal = true }).AssertAccepted();

        Assert.Null(accepted.State.LocalLevelReason);
        Assert.True(accepted.State.LocalLevelReasonInternal);
        Assert.DoesNotContain("äldreboendet", System.Text.Json.JsonSerializer.Serialize(accepted.State, DomainJson.Options) + accepted.Change);
    }

    [Fact]
    public void Setting_the_local_level_it_already_has_is_refused_as_no_change()
    {
        var raised = Normal with { LocalLevel = LocalLevel.LocalIncident, LocalLevelReason = "Strömavbrott" };

        var refusal = Decide(raised, new ChangeDistrictLocalLevel(LocalLevel.LocalIncident) { Reason = "Fortfarande strömavbrott" })
            .AssertRefused(RefusalKind.Conflict);

        Assert.Contains("Farsta", refusal.Reason);
    }

    [Fact]
    public void A_local_level_that_is_not_on_the_scale_is_invalid() =>
        Decide(Normal, new ChangeDistrictLocalLevel((LocalLevel)7) { Reason = "Test" }).AssertInvalid("level");

    [Fact]
    public void Setting_the_situation_it_already_has_is_refused_as_a_conflict() =>
        Decide(Normal, new SetDistrictSituation(DistrictSituation.Normal)).AssertRefused(RefusalKind.Conflict);

    [Fact]
    public void A_duty_phone_with_letters_is_invalid() =>
        Decide(Normal, new SetDistrictDutyContact("Anna Berg", "08-508 ring mig", "TiB lokalt")).AssertInvalid("phone");
}
