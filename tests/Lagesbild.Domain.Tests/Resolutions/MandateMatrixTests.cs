using Lagesbild.Domain.City;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;

namespace Lagesbild.Domain.Tests.Resolutions;

/// <summary>
/// The escalation ladder's mandates (2024 programme), every step × every role: extraordinär
/// händelse by krisledningsnämndens ordförande, skärpt and högsta beredskap by central krisledning
/// as declared by the government, the TiB up to samhällsstörning, a district its own local level.
/// </summary>
public sealed class MandateMatrixTests
{
    private static readonly Actor[] People =
    [
        new("Anna Berg", Roles.Central),
        new("Per Lind", Roles.DutyOfficer),
        new("Eva Holm", Roles.Chair),
        new("Sara Ek", Roles.District, District: "farsta"),
        new("Lena Ström", Roles.Sector, Sector: "energiforsorjning"),
        new("Polisregion Stockholm", Roles.Observer),
        new("Allmänheten", Roles.Public),
    ];

    /// <summary>Who may move the city from one level to another: ✓ allowed, ✗ refused (403 with the reason).</summary>
    private const string CityLadder = """
                                                  central tib chair district sector observer public
        Normal              SocietalDisturbance   ✓       ✓   ✗     ✗        ✗      ✗        ✗
        Normal              ExtraordinaryEvent    ✗       ✗   ✓     ✗        ✗      ✗        ✗
        Normal              HeightenedAlert       ✓       ✗   ✗     ✗        ✗      ✗        ✗
        Normal              HighestAlert          ✓       ✗   ✗     ✗        ✗      ✗        ✗
        SocietalDisturbance Normal                ✓       ✓   ✗     ✗        ✗      ✗        ✗
        SocietalDisturbance ExtraordinaryEvent    ✗       ✗   ✓     ✗        ✗      ✗        ✗
        SocietalDisturbance HeightenedAlert       ✓       ✗   ✗     ✗        ✗      ✗        ✗
        SocietalDisturbance HighestAlert          ✓       ✗   ✗     ✗        ✗      ✗        ✗
        ExtraordinaryEvent  Normal                ✗       ✗   ✓     ✗        ✗      ✗        ✗
        ExtraordinaryEvent  SocietalDisturbance   ✗       ✗   ✓     ✗        ✗      ✗        ✗
        ExtraordinaryEvent  HeightenedAlert       ✓       ✗   ✗     ✗        ✗      ✗        ✗
        ExtraordinaryEvent  HighestAlert          ✓       ✗   ✗     ✗        ✗      ✗        ✗
        HeightenedAlert     Normal                ✓       ✗   ✗     ✗        ✗      ✗        ✗
        HeightenedAlert     SocietalDisturbance   ✓       ✗   ✗     ✗        ✗      ✗        ✗
        HeightenedAlert     ExtraordinaryEvent    ✗       ✗   ✓     ✗        ✗      ✗        ✗
        HeightenedAlert     HighestAlert          ✓       ✗   ✗     ✗        ✗      ✗        ✗
        HighestAlert        Normal                ✓       ✗   ✗     ✗        ✗      ✗        ✗
        HighestAlert        SocietalDisturbance   ✓       ✗   ✗     ✗        ✗      ✗        ✗
        HighestAlert        ExtraordinaryEvent    ✗       ✗   ✓     ✗        ✗      ✗        ✗
        HighestAlert        HeightenedAlert       ✓       ✗   ✗     ✗        ✗      ✗        ✗
        """;

    [Fact]
    public void Every_step_of_the_citys_ladder_is_allowed_exactly_to_the_roles_with_its_mandate()
    {
        var lines = CityLadder.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var roles = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(People.Select(p => p.Role), roles);
        var city = new EntityRef(EntityKind.City, CityRules.Id);
        var failures = new List<string>();
        var steps = 0;
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var (from, to) = (Enum.Parse<EscalationLevel>(cells[0]), Enum.Parse<EscalationLevel>(cells[1]));
            steps++;
            for (var i = 0; i < People.Length; i++)
            {
                var state = new CityState("Stockholms stad", from, "Någon", Decisions.Now, "Läget");
                var refusal = Access.Check(People[i], city, null, new ChangeCityLevel(to, "Någon") { Reason = "Läget" }, outsideOfficeHours: true, state);
                var allowed = cells[2 + i] == "✓";
                if (allowed != refusal is null)
                    failures.Add($"{People[i].Role} {from} → {to}: expected {(allowed ? "allowed" : "refused")}, got {(refusal is null ? "allowed" : $"refused: {refusal.Reason}")}");
                if (refusal is not null && (refusal.Kind != RefusalKind.Forbidden || string.IsNullOrWhiteSpace(refusal.Reason)))
                    failures.Add($"{People[i].Role} {from} → {to}: refused without a reason or not as 403 ({refusal.Kind})");
            }
        }
        Assert.Equal(20, steps);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void The_beslut_of_a_step_names_the_mandate_the_step_needs()
    {
        Assert.Equal(Mandate.BoardChair, ResolutionRules.CityStepNeeds(EscalationLevel.SocietalDisturbance, EscalationLevel.ExtraordinaryEvent));
        Assert.Equal(Mandate.BoardChair, ResolutionRules.CityStepNeeds(EscalationLevel.ExtraordinaryEvent, EscalationLevel.Normal));
        Assert.Equal(Mandate.Government, ResolutionRules.CityStepNeeds(EscalationLevel.Normal, EscalationLevel.HighestAlert));
        Assert.Equal(Mandate.Government, ResolutionRules.CityStepNeeds(EscalationLevel.HeightenedAlert, EscalationLevel.Normal));
        Assert.Null(ResolutionRules.CityStepNeeds(EscalationLevel.Normal, EscalationLevel.SocietalDisturbance));
    }

    /// <summary>A district's local level: the district itself, central krisledning, and the TiB outside office hours.</summary>
    [Theory]
    [InlineData(LocalLevel.Normal, LocalLevel.LocalIncident)]
    [InlineData(LocalLevel.LocalIncident, LocalLevel.SeriousLocalIncident)]
    [InlineData(LocalLevel.SeriousLocalIncident, LocalLevel.Normal)]
    public void A_districts_local_level_is_its_own_decision(LocalLevel from, LocalLevel to)
    {
        var farsta = new EntityRef(EntityKind.District, "farsta");
        var state = new DistrictState("Farsta", DistrictSituation.Normal, from, null, null);
        var command = new ChangeDistrictLocalLevel(to) { Reason = "Vattenläcka" };
        bool May(Actor actor, bool outsideOfficeHours) => Access.Check(actor, farsta, "farsta", command, outsideOfficeHours, state) is null;

        Assert.True(May(People[0], false), "central");
        Assert.True(May(People[3], false), "Farsta's own operator");
        Assert.False(May(new Actor("Omar Haddad", Roles.District, District: "sodermalm"), false), "another district");
        Assert.False(May(People[1], false), "TiB within office hours");
        Assert.True(May(People[1], true), "TiB outside office hours");
        foreach (var other in People.Skip(4).Append(People[2]))
            Assert.False(May(other, true), other.Role);
    }

    /// <summary>Who may record a beslut on which mandate: their own, and central also the government's (entered for it).</summary>
    private const string ResolutionMandates = """
                                   central tib chair district sector observer public
        BoardChair                 ✗       ✗   ✓     ✗        ✗      ✗        ✗
        CentralCrisisManagement    ✓       ✗   ✗     ✗        ✗      ✗        ✗
        DutyOfficer                ✗       ✓   ✗     ✗        ✗      ✗        ✗
        DistrictDirector           ✗       ✗   ✗     ✓        ✗      ✗        ✗
        Government                 ✓       ✗   ✗     ✗        ✗      ✗        ✗
        """;

    [Fact]
    public void A_beslut_is_recorded_only_on_the_recorders_own_mandate()
    {
        var lines = ResolutionMandates.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var failures = new List<string>();
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var mandate = Enum.Parse<Mandate>(cells[0]);
            for (var i = 0; i < People.Length; i++)
            {
                var own = People[i].District is { } district ? $"{mandate}/{district}" : mandate.ToString();
                var verdict = Permissions.ForResolutions(People[i], ["farsta", "sodermalm"])[own];
                if ((cells[1 + i] == "✓") != verdict is null)
                    failures.Add($"{People[i].Role} on {mandate}: expected {cells[1 + i]}, got {verdict?.Reason ?? "allowed"}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void A_district_director_decides_for_her_own_district_only()
    {
        var sara = People[3];
        var resolution = new EntityRef(EntityKind.Resolution, "b-1");
        RecordResolution For(string? district) => new("Öppna", "Öppna punkten", Mandate.DistrictDirector, "Sara Ek", new ResolutionBasis(5), District: district);

        Assert.Null(Access.Check(sara, resolution, null, For("farsta"), false));
        Assert.Contains("farsta", Access.Check(sara, resolution, null, For("sodermalm"), false)!.Reason);
        Assert.NotNull(Access.Check(sara, resolution, null, For(null), false));
    }

    [Fact]
    public void Nobody_records_a_levels_beslut_by_hand()
    {
        var step = new RecordEscalationResolution("Staden går till extraordinär händelse", Mandate.BoardChair, "Eva Holm",
            new EscalationStep("City/stockholm", "Normal", "ExtraordinaryEvent", 7));
        foreach (var person in People)
            Assert.NotNull(Access.Check(person, new EntityRef(EntityKind.Resolution, "niva-7"), null, step, true));
        Assert.Null(Access.Check(Actor.System, new EntityRef(EntityKind.Resolution, "niva-7"), null, step, true));
    }
}
