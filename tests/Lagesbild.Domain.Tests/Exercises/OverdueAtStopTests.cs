using System.Collections.Frozen;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Exercises;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Sectors;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Exercises;

/// <summary>The after-action report's overdue lägesrapporter are those of the moment the exercise stopped, however late the report is read.</summary>
public sealed class OverdueAtStopTests
{
    private static readonly DateTimeOffset LevelSince = DateTimeOffset.Parse("2027-03-12T08:00:00Z");
    private static readonly DateTimeOffset StoppedAt = LevelSince.AddHours(4.5);

    private static readonly ReportingRhythm EveryFourHours = new(new Dictionary<EscalationLevel, TimeSpan>
    {
        [EscalationLevel.SocietalDisturbance] = TimeSpan.FromHours(4),
    }.ToFrozenDictionary(), TimeSpan.FromMinutes(30));

    private static EntityRef Ref(EntityKind kind, string id) => new(kind, id);

    private static SituationReportState ReportFrom(AssigneeKind kind, string id, DateTimeOffset sentAt) =>
        new("Läget", new Assignee(kind, id), 1, 1, sentAt, "Sara Ek");

    private static ExerciseRunState Run(ClockState state, DateTimeOffset mark) => new(new ExerciseClock(state, 1, TimeSpan.FromHours(1), mark), []);

    /// <summary>
    /// Samhällsstörning since 08:00 with a report every four hours; Energi reported at 09:00, Farsta never; stopped at 12:30.
    /// After the stop Farsta reports at last and central asks Farsta for a report by 13:00.
    /// </summary>
    private static OverdueAtStop ReadLoggbok()
    {
        var overdue = new OverdueAtStop();
        overdue.Read(1, Ref(EntityKind.City, "stockholm"), new CityState("Stockholm", EscalationLevel.SocietalDisturbance, "Anna Berg", LevelSince, null));
        overdue.Read(2, Ref(EntityKind.District, "farsta"), new DistrictState("Farsta", default, default, null, null));
        overdue.Read(3, Ref(EntityKind.Sector, "energi"), new SectorState("Energiförsörjning", "Ellevio", SectorStatus.Down, [], null, null));
        overdue.Read(4, Ref(EntityKind.Exercise, ExerciseRunRules.Id), null, Run(ClockState.Running, LevelSince.AddMinutes(30)));
        overdue.Read(5, Ref(EntityKind.SituationReport, "sector-energi"), ReportFrom(AssigneeKind.Sector, "energi", LevelSince.AddHours(1)));
        overdue.Read(6, Ref(EntityKind.Exercise, ExerciseRunRules.Id), null, Run(ClockState.Stopped, StoppedAt));
        overdue.Read(7, Ref(EntityKind.SituationReport, "district-farsta"), ReportFrom(AssigneeKind.District, "farsta", StoppedAt.AddMinutes(10)));
        overdue.Read(8, Ref(EntityKind.ReportRequest, "begaran-1"), new ReportRequestState("Efter övningen", new Actor("Anna Berg", Roles.Central),
            StoppedAt.AddMinutes(15), LevelSince.AddHours(5), [new ReportRecipient("district-farsta")]));
        return overdue;
    }

    private static (string, DateTimeOffset?, int)[] Shown(IReadOnlyList<OverdueReporter> reporters) =>
        [.. reporters.Select(r => (r.Reporter, r.DueAt, r.Requests.Length))];

    [Fact]
    public void The_report_read_a_week_after_the_stop_lists_who_was_late_at_the_stop_and_nothing_that_came_after()
    {
        var clock = new FakeTimeProvider(StoppedAt);
        var atStop = Shown(ReadLoggbok().Judge(EveryFourHours, clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromDays(7));
        var aWeekLater = Shown(ReadLoggbok().Judge(EveryFourHours, clock.GetUtcNow()));

        // Farsta was due at 12:00 and had not reported at 12:30; Energi was due at 13:00, the begäran came after the stop.
        Assert.Equal([("district-farsta", LevelSince.AddHours(4), 0)], atStop);
        Assert.Equal(atStop, aWeekLater);
        Assert.Equal(StoppedAt, ReadLoggbok().StoppedAt);
    }

    [Fact]
    public void While_the_exercise_runs_who_is_late_follows_the_clock_and_the_latest_reports()
    {
        var clock = new FakeTimeProvider(LevelSince.AddHours(3));
        var overdue = new OverdueAtStop();
        overdue.Read(1, Ref(EntityKind.City, "stockholm"), new CityState("Stockholm", EscalationLevel.SocietalDisturbance, "Anna Berg", LevelSince, null));
        overdue.Read(2, Ref(EntityKind.District, "farsta"), new DistrictState("Farsta", default, default, null, null));
        overdue.Read(3, Ref(EntityKind.Exercise, ExerciseRunRules.Id), null, Run(ClockState.Running, LevelSince));
        Assert.Empty(overdue.Judge(EveryFourHours, clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromHours(1.5));
        Assert.Equal([("district-farsta", LevelSince.AddHours(4), 0)], Shown(overdue.Judge(EveryFourHours, clock.GetUtcNow())));

        overdue.Read(4, Ref(EntityKind.SituationReport, "district-farsta"), ReportFrom(AssigneeKind.District, "farsta", clock.GetUtcNow()));
        Assert.Empty(overdue.Judge(EveryFourHours, clock.GetUtcNow()));
        Assert.Null(overdue.StoppedAt);
    }
}
