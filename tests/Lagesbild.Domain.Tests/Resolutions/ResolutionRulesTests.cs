using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;

namespace Lagesbild.Domain.Tests.Resolutions;

/// <summary>The beslutslogg: what a beslut must carry, and that it is never rewritten.</summary>
public sealed class ResolutionRulesTests
{
    private static readonly EntityRef First = new(EntityKind.Resolution, "b-forsta");
    private static readonly EntityRef Second = new(EntityKind.Resolution, "b-rattelse");

    private static RecordResolution Decision(Mandate? mandate = Mandate.CentralCrisisManagement, ResolutionBasis? basis = null) =>
        new("Öppna trygghetspunkter i Söderort", "Alla trygghetspunkter i Farsta och Skarpnäck öppnas kl. 18.", mandate, "Anna Berg",
            basis ?? new ResolutionBasis(41, [38, 40], ["lagesrapport-farsta-1"]),
            Scope: "Söderort", Affected: "Boende utan ström", ValidUntil: Decisions.Now.AddDays(2), CommunicatedTo: "Farsta, Skarpnäck, P4 Stockholm");

    private static Decision<ResolutionState> Decide(ResolutionState? state, ResolutionCommand command, EntityRef? self = null) =>
        ResolutionRules.Decide(self ?? First, state, command, Decisions.Context);

    [Fact]
    public void A_beslut_keeps_who_decided_on_what_mandate_and_the_picture_it_was_taken_on()
    {
        var accepted = Decide(null, Decision()).AssertAccepted();

        Assert.Equal(Mandate.CentralCrisisManagement, accepted.State.Mandate);
        Assert.Equal("Anna Berg", accepted.State.DecidedBy);
        Assert.Equal(41, accepted.State.PictureSeq);
        Assert.Equal(Decisions.Now, accepted.State.DecidedAt);
        var recorded = Assert.IsType<ResolutionRecorded>(accepted.Change);
        Assert.Equal(new long[] { 38, 40 }, recorded.Basis.Entries!.Value.ToArray());
        Assert.Equal("Farsta, Skarpnäck, P4 Stockholm", recorded.CommunicatedTo);
    }

    [Fact]
    public void A_beslut_without_a_mandate_is_refused() =>
        Decide(null, Decision(mandate: null)).AssertInvalid("mandate");

    [Fact]
    public void A_beslut_without_a_basis_is_refused() =>
        Decide(null, Decision() with { Basis = null }).AssertInvalid("basis.pictureSeq");

    [Fact]
    public void A_basis_can_only_name_entries_the_decider_could_have_seen() =>
        Decide(null, Decision(basis: new ResolutionBasis(10, [11]))).AssertInvalid("basis.entries");

    [Fact]
    public void A_text_over_its_limit_is_refused_and_says_how_long_it_may_be()
    {
        var messages = Decide(null, Decision() with { Text = new string('x', ResolutionRules.TextLimit + 1) }).AssertInvalid("text");
        Assert.Contains($"högst {ResolutionRules.TextLimit}", messages[0]);
    }

    [Fact]
    public void A_beslut_is_never_rewritten()
    {
        var first = Decide(null, Decision()).AssertAccepted();

        var again = Decide(first.State, Decision() with { Title = "Något annat" }).AssertRefused(RefusalKind.Conflict);

        Assert.Contains("skrivs aldrig om", again.Reason);
    }

    [Fact]
    public void A_correction_is_a_new_beslut_that_points_to_the_old_one_and_both_stay_readable()
    {
        var first = Decide(null, Decision()).AssertAccepted();

        var correction = Decide(null, Decision() with
        {
            Text = "Rättelse: bara Farstas trygghetspunkter öppnas kl. 18.", ResolutionKind = ResolutionKind.Correction, Corrects = First.Id,
        }, Second).AssertAccepted();

        Assert.Equal(First.Id, correction.State.Corrects);
        Assert.Equal(ResolutionKind.Correction, correction.State.ResolutionKind);
        Assert.Null(first.State.Corrects);
        Assert.Equal("Alla trygghetspunkter i Farsta och Skarpnäck öppnas kl. 18.", ((ResolutionRecorded)first.Change).Text);
        Assert.Equal("Rättelse: bara Farstas trygghetspunkter öppnas kl. 18.", ((ResolutionRecorded)correction.Change).Text);
    }

    [Fact]
    public void A_correction_must_name_the_beslut_it_corrects() =>
        Decide(null, Decision() with { ResolutionKind = ResolutionKind.Revocation }).AssertInvalid("corrects");

    [Fact]
    public void The_list_shape_leaves_the_long_texts_in_the_loggbok()
    {
        var accepted = Decide(null, Decision()).AssertAccepted();
        var listed = System.Text.Json.JsonSerializer.Serialize(accepted.State, DomainJson.Options);

        Assert.DoesNotContain("Alla trygghetspunkter", listed);
        Assert.DoesNotContain("P4 Stockholm", listed);
    }
}
