using System.Collections.Immutable;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Resolutions;

namespace Lagesbild.Domain.Tests.Exercises;

/// <summary>The after-action report read from an exercise's loggbok: the response table, the timeline in scenario time, the ratings and what is not answered.</summary>
public sealed class AfterActionReportTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2027-03-12T08:00:00Z");

    private static Inject To(string id, int minute, string district, string? expected, string? objective) =>
        new(id, TimeSpan.FromMinutes(minute), InjectDelivery.Message, "SOS Alarm", InjectTargetKind.District, district, $"Inspel {id}\nmer text", expected, objective);

    /// <summary>Started at 08:00 at twice the wall clock; each inspel delivered at its scenario time (wall: half of it after the start).</summary>
    private static readonly ExerciseClock Running = new(ClockState.Running, 2, TimeSpan.Zero, Start);

    private static ExerciseRunState Run(ExerciseClock clock, params (string Inject, int ScenarioMinute)[] delivered) =>
        new(clock, [.. delivered.Select(d => new InjectMark(d.Inject, DeliveredAt: Start.AddMinutes(d.ScenarioMinute / 2.0), DeliveredAtScenario: TimeSpan.FromMinutes(d.ScenarioMinute)))]);

    /// <summary>An entry by a district's desk when <paramref name="district"/> is given, by central krisledning otherwise.</summary>
    private static ExerciseEntry Entry(long seq, double wallMinute, string kind, string id, string by, string? district, Change change, ExerciseClock? clock = null) =>
        new(seq, Start.AddMinutes(wallMinute), new EntityRef(Enum.Parse<EntityKind>(kind), id), new Actor(by, district is null ? Roles.Central : Roles.District, district), change, clock);

    private static readonly Inject[] Scenario =
    [
        To("I-01", 20, "farsta", "Aktivera lokal krisledning", "Mål 1"),
        To("I-02", 30, "farsta", "Lägesrapport till central krisledning", "Mål 2"),
        To("I-03", 40, "sodermalm", "Fatta beslut om trygghetspunkt", "Mål 2"),
    ];

    private static readonly ExerciseEntry[] Log =
    [
        Entry(1, 0, "Exercise", ExerciseRunRules.Id, "Anna Berg", null, new ExerciseStarted(2), Running),
        Entry(2, 10, "Exercise", ExerciseRunRules.Id, "Lagesbild (system)", null, new InjectDelivered("I-01", TimeSpan.FromMinutes(20), false, "inspel-i-01", null), Running),
        // Another district's activation, then a report from Farsta: neither answers I-01.
        Entry(3, 11, "CrisisBody", "lokal-sodermalm", "Omar Haddad", "sodermalm", new CrisisBodyActivationChanged(Activation.Inactive, Activation.Activated)),
        Entry(4, 12, "SituationReport", "district-farsta", "Sara Ek", "farsta", new SituationReportSent(1, new ReportContents(null, null, "Vi samlas", null, null, null, null), null)),
        // Farsta's activation 7 wall minutes (14 scenario minutes) after I-01 arrived.
        Entry(5, 17, "CrisisBody", "lokal-farsta", "Sara Ek", "farsta", new CrisisBodyActivationChanged(Activation.Inactive, Activation.Activated)),
        Entry(6, 15, "Exercise", ExerciseRunRules.Id, "Lagesbild (system)", null, new InjectDelivered("I-02", TimeSpan.FromMinutes(30), false, "inspel-i-02", null), Running),
        Entry(7, 20, "Exercise", ExerciseRunRules.Id, "Lagesbild (system)", null, new InjectDelivered("I-03", TimeSpan.FromMinutes(40), false, "inspel-i-03", null), Running),
        Entry(8, 21, "Resolution", "b-1", "Anna Berg", null, new ResolutionRecorded("Öppna Storforsplan", null, ResolutionKind.Decision, Mandate.CentralCrisisManagement, "Anna Berg",
            new ResolutionBasis(7), null, null, null, null, null, null, null)),
        Entry(9, 22, "Evaluation", EvaluationRules.Id, "Ulla Vik", null, new ObjectiveRated("Mål 1", ObjectiveRating.SomeChallenges, "Aktiveringen dröjde", TimeSpan.FromMinutes(44))),
        Entry(10, 23, "Evaluation", EvaluationRules.Id, "Anna Berg", null, new ObjectiveRated("Mål 1", ObjectiveRating.WithoutChallenges, "Bedömt om", TimeSpan.FromMinutes(46))),
        Entry(11, 24, "Evaluation", EvaluationRules.Id, "Ulla Vik", null, new ObservationNoted("o-1", "Sara ringde SOS först", TimeSpan.FromMinutes(48), "I-01", "Mål 1")),
        Entry(12, 25, "Evaluation", EvaluationRules.Id, "Ulla Vik", null, new ImprovementRecorded("f-1", "Checklista för aktivering", "Farsta stadsdelsförvaltning")),
    ];

    private static AfterActionReport Report(ExerciseRunState run) =>
        AfterActionReports.Build(Scenario, run, Log, [], Start.AddMinutes(30), _ => null);

    [Fact]
    public void Each_inject_is_answered_by_the_first_matching_change_of_its_recipient_in_wall_and_scenario_time()
    {
        var report = Report(Run(Running, ("I-01", 20), ("I-02", 30), ("I-03", 40)));

        var activation = report.Injects[0];
        Assert.Equal(ResponseKind.Activation, activation.Expected);
        Assert.Equal(5, activation.ResponseSeq);
        Assert.Equal("Sara Ek", activation.RespondedBy);
        Assert.Equal(TimeSpan.FromMinutes(7), activation.TimeToResponse);
        Assert.Equal(TimeSpan.FromMinutes(34), activation.RespondedAtScenario);
        Assert.Equal(TimeSpan.FromMinutes(14), activation.ScenarioTimeToResponse);
        Assert.Equal("7 min 00 s", AfterActionReports.Duration(activation.TimeToResponse));
    }

    [Fact]
    public void A_report_sent_before_the_inject_and_a_beslut_by_another_desk_leave_their_injects_unanswered()
    {
        var report = Report(Run(Running, ("I-01", 20), ("I-02", 30), ("I-03", 40)));

        // Farsta's report came before I-02 was delivered; the beslut was central's, not Södermalm's.
        Assert.Null(report.Injects[1].RespondedAt);
        Assert.Null(report.Injects[1].TimeToResponse);
        Assert.Equal(ResponseKind.Decision, report.Injects[2].Expected);
        Assert.Null(report.Injects[2].ResponseSeq);
    }

    [Fact]
    public void An_inject_not_delivered_has_no_time_and_a_skipped_one_says_so()
    {
        var run = Run(Running, ("I-01", 20)) with { Injects = [new InjectMark("I-01", DeliveredAt: Start.AddMinutes(10), DeliveredAtScenario: TimeSpan.FromMinutes(20)), new InjectMark("I-03", Skipped: true)] };

        var report = Report(run);

        Assert.Null(report.Injects[1].DeliveredAt);
        Assert.Null(report.Injects[1].TimeToResponse);
        Assert.True(report.Injects[2].Skipped);
        Assert.Null(report.Injects[2].TimeToResponse);
    }

    [Fact]
    public void The_latest_rating_of_an_objective_stands_and_an_objective_nobody_rated_is_listed_unrated()
    {
        var report = Report(Run(Running, ("I-01", 20)));

        Assert.Equal(["Mål 1", "Mål 2"], report.Objectives.Select(o => o.Objective));
        Assert.Equal(ObjectiveRating.WithoutChallenges, report.Objectives[0].Rating);
        Assert.Equal("Bedömt om", report.Objectives[0].Comment);
        Assert.Equal("Anna Berg", report.Objectives[0].RatedBy);
        Assert.Null(report.Objectives[1].Rating);
        Assert.Equal(["I-02", "I-03"], report.Objectives[1].Injects);
    }

    [Fact]
    public void The_timeline_decisions_observations_and_improvements_carry_scenario_time_and_the_report_is_preliminary_until_the_stop()
    {
        var running = Report(Run(Running, ("I-01", 20)));
        var stopped = Report(Run(Running with { State = ClockState.Stopped, ScenarioAtMark = TimeSpan.FromMinutes(60), WallAtMark = Start.AddMinutes(30) }));

        Assert.True(running.Preliminary);
        Assert.False(stopped.Preliminary);
        Assert.Equal(TimeSpan.FromMinutes(60), stopped.ScenarioTime);
        var decision = Assert.Single(running.Decisions);
        Assert.Equal(TimeSpan.FromMinutes(42), decision.ScenarioAt);
        Assert.Contains(running.Timeline, t => t.What == "lokal-farsta: aktiverad" && t.ScenarioAt == TimeSpan.FromMinutes(34));
        Assert.Contains(running.Timeline, t => t.What == "Övningen startade (2 × verklig tid)" && t.ScenarioAt == TimeSpan.Zero);
        // The evaluation has sections of its own, not lines in the timeline.
        Assert.DoesNotContain(running.Timeline, t => t.What.Contains("SOS först", StringComparison.Ordinal));
        Assert.Equal("Sara ringde SOS först", Assert.Single(running.Observations).Text);
        Assert.Equal("Farsta stadsdelsförvaltning", Assert.Single(running.Improvements).Owner);
    }
}
