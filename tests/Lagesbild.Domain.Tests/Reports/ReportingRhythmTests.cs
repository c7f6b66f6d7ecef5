using System.Collections.Frozen;
using Lagesbild.Domain.City;
using Lagesbild.Domain.Reports;
using Microsoft.Extensions.Time.Testing;

namespace Lagesbild.Domain.Tests.Reports;

/// <summary>Operativ rytm: when a report is due at each level, and the moment it becomes overdue.</summary>
public sealed class ReportingRhythmTests
{
    private static readonly ReportingRhythm Rhythm = new(new Dictionary<EscalationLevel, TimeSpan>
    {
        [EscalationLevel.SocietalDisturbance] = TimeSpan.FromHours(4),
        [EscalationLevel.ExtraordinaryEvent] = TimeSpan.FromHours(2),
    }.ToFrozenDictionary(), TimeSpan.FromMinutes(30));

    private static readonly DateTimeOffset LevelSince = Decisions.Now;

    [Fact]
    public void A_report_is_on_time_up_to_the_cadence_and_overdue_the_moment_after()
    {
        var clock = new FakeTimeProvider(LevelSince);
        var lastReport = LevelSince.AddMinutes(30);
        clock.SetUtcNow(lastReport.AddHours(4));
        Assert.False(Rhythm.IsOverdue(EscalationLevel.SocietalDisturbance, LevelSince, lastReport, clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(Rhythm.IsOverdue(EscalationLevel.SocietalDisturbance, LevelSince, lastReport, clock.GetUtcNow()));
    }

    [Fact]
    public void At_an_extraordinary_event_the_same_report_is_overdue_after_two_hours()
    {
        var lastReport = LevelSince.AddMinutes(10);

        Assert.Equal(lastReport.AddHours(2), Rhythm.DueAt(EscalationLevel.ExtraordinaryEvent, LevelSince, lastReport));
        Assert.True(Rhythm.IsOverdue(EscalationLevel.ExtraordinaryEvent, LevelSince, lastReport, lastReport.AddHours(2).AddSeconds(1)));
        Assert.False(Rhythm.IsOverdue(EscalationLevel.SocietalDisturbance, LevelSince, lastReport, lastReport.AddHours(2).AddSeconds(1)));
    }

    [Fact]
    public void A_reporter_that_never_reported_is_due_a_cadence_after_the_level_was_entered()
    {
        Assert.Equal(LevelSince.AddHours(4), Rhythm.DueAt(EscalationLevel.SocietalDisturbance, LevelSince, null));
        Assert.False(Rhythm.IsOverdue(EscalationLevel.SocietalDisturbance, LevelSince, null, LevelSince.AddHours(4)));
        Assert.True(Rhythm.IsOverdue(EscalationLevel.SocietalDisturbance, LevelSince, null, LevelSince.AddHours(4).AddTicks(1)));
    }

    [Fact]
    public void A_report_from_before_the_level_was_entered_does_not_count_the_cadence_runs_from_the_level()
    {
        var before = LevelSince.AddDays(-2);

        Assert.Equal(LevelSince.AddHours(4), Rhythm.DueAt(EscalationLevel.SocietalDisturbance, LevelSince, before));
    }

    [Fact]
    public void At_normal_level_nothing_is_ever_overdue()
    {
        Assert.Null(Rhythm.DueAt(EscalationLevel.Normal, LevelSince, null));
        Assert.False(Rhythm.IsOverdue(EscalationLevel.Normal, LevelSince, null, LevelSince.AddDays(30)));
    }
}
