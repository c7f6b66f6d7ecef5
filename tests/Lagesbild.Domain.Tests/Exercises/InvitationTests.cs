using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests.Exercises;

public sealed class InvitationTests
{
    [Fact]
    public void Participants_are_invited_by_role_with_their_district_or_sector()
    {
        var problems = new Problems();
        Invitation.Check(problems, [new("central"), new("district", District: "farsta", Name: "Farsta lokala krisledning"), new("sector", Sector: "energi"), new("observer", Name: "Polisregion Stockholm")], new FakeAreas());

        Assert.False(problems.Any);
    }

    [Fact]
    public void An_unknown_role_a_district_role_without_its_district_and_the_public_are_refused_by_field()
    {
        var problems = new Problems();
        Invitation.Check(problems, [new("general"), new("district"), new("public"), new("central", District: "farsta"), new("sector")], new FakeAreas());

        Assert.Equal(["participants[0].role", "participants[1].district", "participants[2].role", "participants[3].district", "participants[4].sector"],
            problems.ToRefusal()!.Errors!.Keys);
    }
}
