using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Domain.Tests.Sectors;

/// <summary>A beredskapssektor's lägesrapport: its status and the districts it affects.</summary>
public sealed class SectorRulesTests
{
    private static readonly EntityRef Energy = new(EntityKind.Sector, "energiforsorjning");

    private static readonly SectorState Normal = new("Energiförsörjning", "Miljöförvaltningen", SectorStatus.Normal, [], null, null);

    private static Decision<SectorState> Decide(SectorState? state, SectorCommand command) =>
        SectorRules.Decide(Energy, state, command, Decisions.Context);

    [Fact]
    public void Registering_a_sector_twice_is_refused_as_a_conflict() =>
        Decide(Normal, new RegisterSector("Energiförsörjning", "Miljöförvaltningen")).AssertRefused(RefusalKind.Conflict);

    [Fact]
    public void A_sector_that_was_never_registered_is_not_found() =>
        Decide(null, new SetSectorLead("Stokab")).AssertRefused(RefusalKind.NotFound);

    [Fact]
    public void A_report_naming_districts_the_city_does_not_have_is_invalid()
    {
        var messages = Decide(Normal, new ReportSectorStatus(SectorStatus.Disturbed, ["farsta", "ostermalm"], null, null))
            .AssertInvalid("affectedDistricts");

        Assert.Contains(messages, m => m.Contains("ostermalm") && !m.Contains("farsta"));
    }

    [Theory]
    [InlineData(SectorStatus.Disturbed)]
    [InlineData(SectorStatus.SeriouslyDisturbed)]
    [InlineData(SectorStatus.Down)]
    public void A_disturbed_sector_must_say_which_districts_are_affected(SectorStatus status)
    {
        Decide(Normal, new ReportSectorStatus(status, null, null, null)).AssertInvalid("affectedDistricts");
        Decide(Normal, new ReportSectorStatus(status, [], null, null)).AssertInvalid("affectedDistricts");
    }

    [Fact]
    public void A_sector_back_to_normal_needs_no_districts()
    {
        var disturbed = Normal with { Status = SectorStatus.Disturbed, AffectedDistricts = ["farsta"] };

        var accepted = Decide(disturbed, new ReportSectorStatus(SectorStatus.Normal, null, null, null)).AssertAccepted();

        Assert.Empty(accepted.State.AffectedDistricts);
    }

    [Fact]
    public void A_report_lists_each_affected_district_once_in_order()
    {
        var accepted = Decide(Normal, new ReportSectorStatus(SectorStatus.Down, ["sodermalm", "farsta", "sodermalm"], " Diesel behövs ", null))
            .AssertAccepted();

        Assert.Equal<string>(["farsta", "sodermalm"], accepted.State.AffectedDistricts);
        Assert.Equal("Diesel behövs", accepted.State.Needs);
        var change = Assert.IsType<SectorStatusReported>(accepted.Change);
        Assert.Equal((SectorStatus.Normal, SectorStatus.Down), (change.From, change.To));
        Assert.Equal<string>(["farsta", "sodermalm"], change.AffectedDistricts);
    }

    [Fact]
    public void A_district_id_that_is_not_an_id_is_invalid() =>
        Decide(Normal, new ReportSectorStatus(SectorStatus.Disturbed, ["Farsta!"], null, null)).AssertInvalid("affectedDistricts");
}
