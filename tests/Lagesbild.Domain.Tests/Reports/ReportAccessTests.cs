using System.Collections.Immutable;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using static Lagesbild.Domain.Tests.Reports.Reports;

namespace Lagesbild.Domain.Tests.Reports;

/// <summary>Who writes which lägesrapport and who asks whom, as <see cref="Access"/> decides it for HTTP and hub alike.</summary>
public sealed class ReportAccessTests
{
    private static Refusal? Write(Actor actor, string stream) =>
        Access.Check(actor, new EntityRef(EntityKind.SituationReport, stream), null, new SubmitSituationReport(Full()), outsideOfficeHours: false);

    private static Refusal? Ask(Actor actor, params string[] recipients) =>
        Access.Check(actor, new EntityRef(EntityKind.ReportRequest, "r-1"), null,
            new RequestSituationReport("Läget kl 14", [.. recipients], Decisions.Now.AddHours(2)), outsideOfficeHours: false);

    [Theory]
    [InlineData("district-farsta")]
    [InlineData("body-lokal-farsta")]
    public void A_district_writes_for_itself_and_its_local_crisis_management(string stream) => Assert.Null(Write(Sara, stream));

    [Fact]
    public void A_district_may_not_write_another_districts_report()
    {
        var refusal = Assert.IsType<Refusal>(Write(Sara, "district-sodermalm"));
        Assert.Equal(RefusalKind.Forbidden, refusal.Kind);
        Assert.Contains("sitt eget stadsdelsområde (farsta)", refusal.Reason);
    }

    [Fact]
    public void A_sector_lead_writes_for_her_own_sector_only()
    {
        Assert.Null(Write(Lena, "sector-energi"));
        Assert.Contains("rapporterar för sektorn energi, inte för sektorn transporter", Assert.IsType<Refusal>(Write(Lena, "sector-transporter")).Reason);
        Assert.NotNull(Write(Lena, "district-farsta"));
    }

    [Fact]
    public void Central_krisledning_writes_its_own_report_and_not_a_districts()
    {
        Assert.Null(Write(Anna, "body-central-krisledning"));
        Assert.NotNull(Write(Anna, "district-farsta"));
    }

    [Fact]
    public void An_observer_reads_but_never_writes_or_asks()
    {
        Assert.Contains("ändrar ingenting", Assert.IsType<Refusal>(Write(Polis, "district-farsta")).Reason);
        Assert.NotNull(Ask(Polis, "district-farsta"));
    }

    [Fact]
    public void Central_asks_anyone_and_a_district_asks_only_its_own_units()
    {
        Assert.Null(Ask(Anna, "district-farsta", "sector-energi", "body-lokal-sodermalm"));
        Assert.Null(Ask(Sara, "body-lokal-farsta"));
        var refusal = Assert.IsType<Refusal>(Ask(Sara, "body-lokal-farsta", "district-sodermalm"));
        Assert.Contains("district-sodermalm", refusal.Reason);
        Assert.NotNull(Ask(Lena, "sector-energi"));
    }

    [Fact]
    public void Only_Lagesbild_records_answers_and_reminders()
    {
        var request = new ReportRequestState("Läget", Anna, Decisions.Now, Decisions.Now.AddHours(2), [new ReportRecipient("district-farsta")]);
        var entity = new EntityRef(EntityKind.ReportRequest, "r-1");

        Assert.NotNull(Access.Check(Anna, entity, null, new RecordReportAnswer("district-farsta", 1), false, request));
        Assert.NotNull(Access.Check(Sara, entity, null, new RemindReportRequest(), false, request));
        Assert.Null(Access.Check(Actor.System, entity, null, new RecordReportAnswer("district-farsta", 1), false, request));
    }

    [Fact]
    public void Only_a_recipient_marks_a_request_read()
    {
        var request = new ReportRequestState("Läget", Anna, Decisions.Now, Decisions.Now.AddHours(2), ImmutableArray.Create(new ReportRecipient("district-farsta")));
        var entity = new EntityRef(EntityKind.ReportRequest, "r-1");

        Assert.Null(Access.Check(Sara, entity, null, new ReadReportRequest(), false, request));
        Assert.Contains("inte ställd till dig", Assert.IsType<Refusal>(Access.Check(Omar, entity, null, new ReadReportRequest(), false, request)).Reason);
    }
}
