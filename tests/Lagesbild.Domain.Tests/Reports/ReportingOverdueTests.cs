using System.Collections.Frozen;
using System.Collections.Immutable;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Domain.Tests.Reports;

/// <summary>Which districts and sectors are flagged late with a lägesrapport, and when a flag rises or clears by time alone.</summary>
public sealed class ReportingOverdueTests
{
    private static readonly DateTimeOffset LevelSince = Decisions.Now.AddHours(-6);

    private static readonly ReportingRhythm EveryFourHours = new(new Dictionary<EscalationLevel, TimeSpan>
    {
        [EscalationLevel.SocietalDisturbance] = TimeSpan.FromHours(4),
    }.ToFrozenDictionary(), TimeSpan.FromMinutes(30));

    private static SourcedState S(EntityKind kind, string id, object state) => new(new EntityRef(kind, id), 1, state);

    private static SourcedState City(EscalationLevel level) => S(EntityKind.City, "stockholm", new CityState("Stockholm", level, "Anna Berg", LevelSince, null));
    private static readonly SourcedState Farsta = S(EntityKind.District, "farsta", new DistrictState("Farsta", default, default, null, null));
    private static readonly SourcedState Energi = S(EntityKind.Sector, "energi", new SectorState("Energiförsörjning", "Ellevio", SectorStatus.Down, [], null, null));

    private static SourcedState ReportFrom(AssigneeKind kind, string id, DateTimeOffset sentAt) =>
        S(EntityKind.SituationReport, ReportRules.StreamOf(new Assignee(kind, id)), new SituationReportState("Läget", new Assignee(kind, id), 1, 1, sentAt, "Sara Ek"));

    private static SourcedState Request(string id, DateTimeOffset deadline, DateTimeOffset? answeredAt = null) =>
        S(EntityKind.ReportRequest, id, new ReportRequestState("Inför mötet", new Actor("Anna Berg", Roles.Central), deadline.AddHours(-2), deadline,
            [new ReportRecipient("district-farsta", AnsweredAt: answeredAt, Report: answeredAt is null ? null : 1)]));

    [Fact]
    public void A_reporter_is_flagged_only_after_the_cadence_has_passed_and_the_answer_says_when_the_flag_rises()
    {
        var due = Decisions.Now;
        SourcedState[] states = [City(EscalationLevel.SocietalDisturbance), Farsta, ReportFrom(AssigneeKind.District, "farsta", due.AddHours(-4)), Energi,
            ReportFrom(AssigneeKind.Sector, "energi", due.AddHours(-1))];

        var (onTime, risesAt) = ReportingOverdue.Judge(states, EveryFourHours, due);
        Assert.Empty(onTime);
        Assert.Equal(due.AddTicks(1), risesAt);

        var (late, _) = ReportingOverdue.Judge(states, EveryFourHours, due.AddTicks(1));
        var farsta = Assert.Single(late);
        Assert.Equal(("district-farsta", AssigneeKind.District, "farsta", "Farsta", (DateTimeOffset?)due), (farsta.Reporter, farsta.Kind, farsta.Id, farsta.Name, farsta.DueAt));
        Assert.Empty(farsta.Requests);
    }

    [Fact]
    public void A_new_report_clears_the_cadence_flag_and_a_level_without_cadence_flags_nobody()
    {
        var now = Decisions.Now;
        Assert.Single(ReportingOverdue.Judge([City(EscalationLevel.SocietalDisturbance), Farsta, Energi, ReportFrom(AssigneeKind.Sector, "energi", now.AddMinutes(-5))], EveryFourHours, now).Reporters);
        Assert.Empty(ReportingOverdue.Judge([City(EscalationLevel.SocietalDisturbance), Farsta, Energi,
            ReportFrom(AssigneeKind.District, "farsta", now.AddMinutes(-1)), ReportFrom(AssigneeKind.Sector, "energi", now.AddMinutes(-5))], EveryFourHours, now).Reporters);
        Assert.Empty(ReportingOverdue.Judge([City(EscalationLevel.Normal), Farsta, Energi], EveryFourHours, now).Reporters);
    }

    [Fact]
    public void An_unanswered_begaran_flags_its_recipient_after_the_deadline_until_answered_or_a_day_has_passed()
    {
        var deadline = Decisions.Now;
        SourcedState[] Picture(DateTimeOffset? answeredAt = null) => [City(EscalationLevel.Normal), Farsta, Request("r-1", deadline, answeredAt)];

        var (before, changesAt) = ReportingOverdue.Judge(Picture(), EveryFourHours, deadline);
        Assert.Empty(before);
        Assert.Equal(deadline.AddTicks(1), changesAt);

        var (late, clearsAt) = ReportingOverdue.Judge(Picture(), EveryFourHours, deadline.AddSeconds(1));
        var farsta = Assert.Single(late);
        Assert.Equal("r-1", Assert.Single(farsta.Requests));
        Assert.Null(farsta.DueAt);
        Assert.Equal(deadline.AddDays(1).AddTicks(1), clearsAt);

        Assert.Empty(ReportingOverdue.Judge(Picture(answeredAt: deadline.AddMinutes(5)), EveryFourHours, deadline.AddMinutes(6)).Reporters);
        Assert.Empty(ReportingOverdue.Judge(Picture(), EveryFourHours, deadline.AddDays(1).AddSeconds(1)).Reporters);
    }
}
