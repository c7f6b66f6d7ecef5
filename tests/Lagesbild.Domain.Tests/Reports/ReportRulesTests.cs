using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using static Lagesbild.Domain.Tests.Reports.Reports;

namespace Lagesbild.Domain.Tests.Reports;

/// <summary>A lägesrapport's parts, numbering and corrections: once sent, never rewritten.</summary>
public sealed class ReportRulesTests
{
    private static readonly DecideContext AsSara = Decisions.Context with { Actor = Sara };

    [Fact]
    public void A_report_without_a_request_is_number_one_dated_and_attributed_with_all_its_parts_in_the_loggbok()
    {
        var accepted = ReportRules.Decide(Farsta, null, new SubmitSituationReport(Full()), AsSara).AssertAccepted();

        Assert.Equal(new SituationReportState("Strömavbrott i södra Farsta", new Assignee(AssigneeKind.District, "farsta"), 1, 1, Decisions.Now, "Sara Ek", "farsta"),
            accepted.State);
        var sent = Assert.IsType<SituationReportSent>(accepted.Change);
        Assert.Equal(1, sent.Number);
        Assert.Equal("Behöver diesel till reservkraften", sent.Contents.ResourcesAndNeeds);
        Assert.Equal("Ström åter tidigast i kväll", sent.Contents.Forecast);
    }

    [Fact]
    public void The_next_report_gets_the_next_number_and_starts_at_version_one()
    {
        var first = ReportRules.Decide(Farsta, null, new SubmitSituationReport(Full()), AsSara).AssertAccepted().State;
        var corrected = ReportRules.Decide(Farsta, first, new CorrectSituationReport(1, "Fel antal hushåll", Full()), AsSara).AssertAccepted().State;

        var second = ReportRules.Decide(Farsta, corrected, new SubmitSituationReport(Full("Strömmen åter i Hökarängen")), AsSara with { Now = Decisions.Now.AddHours(4) }).AssertAccepted().State;

        Assert.Equal((2, 1, Decisions.Now.AddHours(4), "Strömmen åter i Hökarängen"), (second.Number, second.Version, second.SentAt, second.Name));
        Assert.Null(second.CorrectionWhy);
    }

    [Fact]
    public void A_correction_is_a_new_version_that_says_why_and_keeps_the_first_sending_time()
    {
        var first = ReportRules.Decide(Farsta, null, new SubmitSituationReport(Full()), AsSara).AssertAccepted().State;
        var later = AsSara with { Now = Decisions.Now.AddMinutes(20) };

        var accepted = ReportRules.Decide(Farsta, first, new CorrectSituationReport(1, "  Fel antal hushåll: 1 300, inte 3 000 ", Full()), later).AssertAccepted();

        var corrected = Assert.IsType<SituationReportCorrected>(accepted.Change);
        Assert.Equal((1, 2, "Fel antal hushåll: 1 300, inte 3 000"), (corrected.Number, corrected.Version, corrected.Why));
        Assert.Equal((1, 2, Decisions.Now, Decisions.Now.AddMinutes(20)), (accepted.State.Number, accepted.State.Version, accepted.State.SentAt, accepted.State.CorrectedAt));
        Assert.Equal("Fel antal hushåll: 1 300, inte 3 000", accepted.State.CorrectionWhy);
    }

    [Fact]
    public void A_correction_without_saying_why_is_refused()
    {
        var first = ReportRules.Decide(Farsta, null, new SubmitSituationReport(Full()), AsSara).AssertAccepted().State;

        ReportRules.Decide(Farsta, first, new CorrectSituationReport(1, " ", Full()), AsSara).AssertInvalid("why");
    }

    [Fact]
    public void Only_the_latest_report_is_corrected_an_older_one_is_already_replaced()
    {
        var first = ReportRules.Decide(Farsta, null, new SubmitSituationReport(Full()), AsSara).AssertAccepted().State;
        var second = ReportRules.Decide(Farsta, first, new SubmitSituationReport(Full()), AsSara).AssertAccepted().State;

        var refusal = ReportRules.Decide(Farsta, second, new CorrectSituationReport(1, "Fel", Full()), AsSara).AssertRefused(RefusalKind.Conflict);
        Assert.Contains("ersatt av rapport 2", refusal.Reason);
        ReportRules.Decide(Farsta, second, new CorrectSituationReport(3, "Fel", Full()), AsSara).AssertRefused(RefusalKind.Conflict);
    }

    [Fact]
    public void Correcting_before_any_report_is_sent_is_refused_as_not_found()
    {
        ReportRules.Decide(Farsta, null, new CorrectSituationReport(1, "Fel", Full()), AsSara).AssertRefused(RefusalKind.NotFound);
    }

    [Theory]
    [InlineData("event.what")]
    [InlineData("event.where")]
    [InlineData("event.when")]
    [InlineData("consequences.now")]
    [InlineData("actions")]
    [InlineData("forecast")]
    public void A_report_missing_a_mandatory_part_is_refused_naming_the_part(string part)
    {
        var full = Full();
        var missing = part switch
        {
            "event.what" => full with { Event = full.Event! with { What = null } },
            "event.where" => full with { Event = full.Event! with { Where = "  " } },
            "event.when" => full with { Event = full.Event! with { When = null } },
            "consequences.now" => full with { Consequences = null },
            "actions" => full with { Actions = "" },
            _ => full with { Forecast = null },
        };

        var messages = ReportRules.Decide(Farsta, null, new SubmitSituationReport(missing), AsSara).AssertInvalid($"contents.{part}");
        Assert.Contains("Måste anges.", messages);
    }

    [Fact]
    public void Every_part_that_is_not_mandatory_may_be_left_out()
    {
        var minimal = new ReportContents(new ReportEvent("Storm", "Hela Farsta", "natten", null), new ReportConsequences("Träd över vägar", null, null, null),
            "Röjning pågår", null, null, "Klart i morgon", null);

        ReportRules.Decide(Farsta, null, new SubmitSituationReport(minimal), AsSara).AssertAccepted();
        Assert.Equal(["event.what", "event.where", "event.when", "consequences.now", "actions", "forecast"],
            ReportRules.Parts.Where(p => p.Required).Select(p => p.Field));
    }

    [Fact]
    public void A_part_over_its_limit_is_refused_with_the_limit_and_the_length()
    {
        var long1 = new string('a', ReportRules.TextLimit + 1);

        var messages = ReportRules.Decide(Farsta, null, new SubmitSituationReport(Full() with { Actions = long1 }), AsSara).AssertInvalid("contents.actions");

        Assert.Contains($"Får vara högst {ReportRules.TextLimit} tecken (är {ReportRules.TextLimit + 1}).", messages);
    }

    [Fact]
    public void A_report_without_contents_is_refused()
    {
        ReportRules.Decide(Farsta, null, new SubmitSituationReport(null), AsSara).AssertInvalid("contents");
    }

    [Fact]
    public void A_report_stream_that_names_no_reporter_or_an_unknown_district_is_refused()
    {
        ReportRules.Decide(new EntityRef(EntityKind.SituationReport, "farsta"), null, new SubmitSituationReport(Full()), AsSara).AssertInvalid("id");
        ReportRules.Decide(new EntityRef(EntityKind.SituationReport, "district-atlantis"), null, new SubmitSituationReport(Full()), AsSara).AssertRefused(RefusalKind.NotFound);
    }

    [Fact]
    public void The_headline_a_list_shows_is_cut_at_its_limit()
    {
        var state = ReportRules.Decide(Farsta, null, new SubmitSituationReport(Full(new string('x', 200))), AsSara).AssertAccepted().State;

        Assert.Equal(ReportRules.HeadlineLimit, state.Name.Length);
        Assert.EndsWith("…", state.Name);
    }
}
