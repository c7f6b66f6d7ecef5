using System.Collections.Frozen;
using System.Collections.Immutable;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;
using Lagesbild.Domain.Tests.SafetyPoints;
using static Lagesbild.Domain.Tests.Reports.Reports;

namespace Lagesbild.Domain.Tests.Reports;

/// <summary>The samlad lägesbild's figures, worked out from given reports and live states, each with its source.</summary>
public sealed class SituationOverviewTests
{
    private static readonly ReportingRhythm Rhythm = new(new Dictionary<EscalationLevel, TimeSpan>
    {
        [EscalationLevel.SocietalDisturbance] = TimeSpan.FromHours(4),
    }.ToFrozenDictionary(), TimeSpan.FromMinutes(30));

    private static readonly DateTimeOffset LevelSince = Decisions.Now.AddHours(-6);

    private static SourcedState S(EntityKind kind, string id, long seq, object state) => new(new EntityRef(kind, id), seq, state);

    private static SafetyPointState Point(string district, SafetyPointStatus status, int visitors, int capacity, double? fuelHours) =>
        Points.In(status, visitors) with
        {
            District = district,
            Capacity = capacity,
            Resources = fuelHours is { } hours ? new SafetyPointResources(new BackupPower(true, hours), 0, 0, 0, 0) : SafetyPointResources.None(backupPower: false),
        };

    private static readonly SourcedState[] Picture =
    [
        S(EntityKind.City, "stockholm", 40, new CityState("Stockholm", EscalationLevel.SocietalDisturbance, "Anna Berg", LevelSince, null)),
        S(EntityKind.Resolution, "niva-40", 41, new ResolutionState("Samhällsstörning", ResolutionKind.Decision, Mandate.CentralCrisisManagement, "Anna Berg", LevelSince, 39,
            Escalation: new EscalationStep("City/stockholm", "Normal", "SocietalDisturbance", 40))),
        S(EntityKind.District, "farsta", 2, new DistrictState("Farsta", default, default, null, null)),
        S(EntityKind.District, "sodermalm", 3, new DistrictState("Södermalm", default, default, null, null)),
        S(EntityKind.Sector, "energi", 4, new SectorState("Energiförsörjning", "Ellevio", SectorStatus.Down, [], null, null)),
        S(EntityKind.Sector, "transporter", 5, new SectorState("Transporter", "Trafikkontoret", SectorStatus.Disturbed, [], null, null)),
        S(EntityKind.Sector, "livsmedel", 6, new SectorState("Livsmedel", "Miljöförvaltningen", SectorStatus.Normal, [], null, null)),
        S(EntityKind.CrisisBody, "central-krisledning", 7, new CrisisBodyState("Central krisledning", CrisisBodyKind.CentralCrisisManagement, null, Activation.Activated, [],
            new Meeting(Decisions.Now.AddHours(1), "Stadshuset"))),
        S(EntityKind.CrisisBody, "lokal-farsta", 8, new CrisisBodyState("Farstas krisledning", CrisisBodyKind.LocalCrisisManagement, "farsta", Activation.Standby, [], null)),
        S(EntityKind.SafetyPoint, "farsta-storforsplan", 50, Point("farsta", SafetyPointStatus.Open, 40, 150, 18)),
        S(EntityKind.SafetyPoint, "farsta-emma", 51, Point("farsta", SafetyPointStatus.Limited, 10, 60, null)),
        S(EntityKind.SafetyPoint, "sodermalm-tellus", 52, Point("sodermalm", SafetyPointStatus.Inactive, 0, 80, 12)),
        S(EntityKind.SafetyPoint, "sodermalm-tanto", 53, Point("sodermalm", SafetyPointStatus.Open, 25, 100, 0)),
        S(EntityKind.SituationReport, "district-farsta", 60, new SituationReportState("Strömavbrott", new Assignee(AssigneeKind.District, "farsta"), 3, 2,
            Decisions.Now.AddMinutes(-90), "Sara Ek", "farsta", CorrectedAt: Decisions.Now.AddMinutes(-80), CorrectionWhy: "Fel antal")),
        S(EntityKind.SituationReport, "sector-energi", 61, new SituationReportState("Nätet nere", new Assignee(AssigneeKind.Sector, "energi"), 1, 1,
            Decisions.Now.AddHours(-5), "Lena Sjö")),
    ];

    private static SituationOverviewModel Build() => SituationOverview.Build(70, Picture, Rhythm, Decisions.Now);

    [Fact]
    public void Points_are_counted_by_status_and_visitors_and_capacity_are_those_of_points_in_operation()
    {
        var points = Build().Points;

        Assert.Equal(2, points.ByStatus["Open"]);
        Assert.Equal(1, points.ByStatus["Limited"]);
        Assert.Equal(1, points.ByStatus["Inactive"]);
        Assert.Equal(0, points.ByStatus["Closed"]);
        Assert.Equal((3, 75, 310), (points.InOperation, points.Visitors, points.Capacity));
        Assert.Equal([50L, 51, 52, 53], points.Sources.Order());
    }

    [Fact]
    public void Points_in_operation_on_backup_power_are_listed_with_their_hours_of_fuel_when_known()
    {
        var points = Build().Points;

        Assert.Equal(2, points.OnBackupPower);
        Assert.Equal([("farsta-storforsplan", (double?)18, 50L), ("sodermalm-tanto", null, 53L)],
            points.BackupPower.Select(p => (p.Id, p.FuelHours, p.Source)));
    }

    [Fact]
    public void Every_district_and_sector_has_its_latest_report_with_age_and_source_and_the_overdue_ones_are_flagged()
    {
        var reports = Build().Reports.ToDictionary(r => r.Reporter);

        Assert.Equal(["district-farsta", "district-sodermalm", "sector-energi", "sector-livsmedel", "sector-transporter"], reports.Keys);
        var farsta = reports["district-farsta"];
        Assert.Equal((3, 2, 90.0, 60L, false), (farsta.Number!.Value, farsta.Version!.Value, farsta.AgeMinutes!.Value, farsta.Source!.Value, farsta.Overdue));
        Assert.Equal(Decisions.Now.AddMinutes(-90).AddHours(4), farsta.DueAt);
        // Five hours old at a four-hour cadence.
        Assert.True(reports["sector-energi"].Overdue);
        // Never reported, and the level was entered six hours ago.
        Assert.True(reports["district-sodermalm"].Overdue);
        Assert.Null(reports["district-sodermalm"].Source);
    }

    [Fact]
    public void Sectors_crisis_bodies_the_city_level_its_history_and_the_next_briefing_carry_their_sources()
    {
        var overview = Build();

        Assert.Equal([("energi", SectorStatus.Down, 4L), ("livsmedel", SectorStatus.Normal, 6L), ("transporter", SectorStatus.Disturbed, 5L)],
            overview.Sectors.Select(s => (s.Id, s.Status, s.Source)));
        Assert.Equal([("central-krisledning", Activation.Activated), ("lokal-farsta", Activation.Standby)], overview.CrisisBodies.Select(b => (b.Id, b.Activation)));
        Assert.Equal((EscalationLevel.SocietalDisturbance, 40L, (double?)4), (overview.City.Level, overview.City.Source, overview.City.CadenceHours));
        Assert.Equal([("Normal", "SocietalDisturbance", 40L)], overview.City.History.Select(h => (h.From, h.To, h.Source)));
        Assert.Equal((Decisions.Now.AddHours(1), (long?)7), (overview.NextBriefing!.Value, overview.NextBriefingSource));
    }

    [Fact]
    public void A_request_shows_its_answer_rate_and_each_recipients_status()
    {
        var request = new ReportRequestState("Läget", Anna, Decisions.Now.AddHours(-3), Decisions.Now.AddHours(-1),
            [new ReportRecipient("district-farsta", Decisions.Now.AddHours(-2), Decisions.Now.AddHours(-2), 3), new ReportRecipient("sector-energi")]);

        var overview = SituationOverview.Build(70, [.. Picture, S(EntityKind.ReportRequest, "r-1", 62, request)], Rhythm, Decisions.Now);

        var shown = Assert.Single(overview.Requests);
        Assert.Equal(0.5, shown.AnswerRate);
        Assert.Equal(RecipientStatus.Answered, shown.Recipients["district-farsta"]);
        Assert.Equal(RecipientStatus.Overdue, shown.Recipients["sector-energi"]);
    }

    [Fact]
    public void Changes_since_the_last_orientation_are_grouped_by_district_by_sector_and_the_rest_under_the_city()
    {
        OverviewChange C(long seq, string entity, string? district) => new(seq, Decisions.Now, entity, "Changed", "Anna Berg", district);
        var changes = new[]
        {
            C(80, "SafetyPoint/farsta-storforsplan", "farsta"),
            C(81, "SituationReport/district-farsta", "farsta"),
            C(82, "Sector/energi", null),
            C(83, "SituationReport/sector-energi", null),
            C(84, "City/stockholm", null),
        };

        var since = SituationOverview.Build(90, Picture, Rhythm, Decisions.Now, changes, Decisions.Now.AddHours(-1)).Since!;

        Assert.Equal([80L, 81], since.Districts["farsta"].Select(c => c.Seq));
        Assert.Equal([82L, 83], since.Sectors["energi"].Select(c => c.Seq));
        Assert.Equal([84L], since.City.Select(c => c.Seq));
    }

    [Fact]
    public void The_last_orientation_is_the_latest_scheduled_stabsorientering_that_has_begun()
    {
        var now = Decisions.Now;
        (long, DateTimeOffset)[] scheduled = [(10, now.AddHours(-8)), (20, now.AddHours(-2)), (30, now.AddHours(1)), (25, now)];

        Assert.Equal((now, 25L), SituationOverview.LastBriefing(scheduled, now));
        Assert.Equal((now.AddHours(-2), 20L), SituationOverview.LastBriefing(scheduled, now.AddTicks(-1)));
        Assert.Null(SituationOverview.LastBriefing([(30, now.AddHours(1))], now));
        var model = SituationOverview.Build(70, Picture, Rhythm, now, lastBriefing: (now.AddHours(-2), 20));
        Assert.Equal((now.AddHours(-2), 20L), (model.LastBriefing, model.LastBriefingSource));
    }
}
