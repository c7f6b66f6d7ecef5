using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using static Lagesbild.Domain.Tests.Reports.Reports;

namespace Lagesbild.Domain.Tests.Reports;

/// <summary>A begäran om lägesrapport: asked by a deadline, read, answered, reminded, overdue.</summary>
public sealed class ReportRequestRulesTests
{
    private static readonly EntityRef Request = new(EntityKind.ReportRequest, "r-1");
    private static readonly DecideContext AsAnna = Decisions.Context with { Actor = Anna };

    private static ReportRequestState Asked() => ReportRequestRules.Decide(Request, null,
        new RequestSituationReport("Läget inför mötet 14:00", ["district-farsta", "sector-energi"], Decisions.Now.AddHours(2), ["Hur länge räcker dieseln?"]), AsAnna)
        .AssertAccepted().State;

    [Fact]
    public void A_request_names_its_recipients_who_have_all_been_sent_it_and_keeps_its_questions_in_the_loggbok()
    {
        var accepted = ReportRequestRules.Decide(Request, null,
            new RequestSituationReport("Läget inför mötet 14:00", ["district-farsta", "sector-energi", "district-farsta"], Decisions.Now.AddHours(2), ["Hur länge räcker dieseln?"]), AsAnna)
            .AssertAccepted();

        Assert.Equal(["district-farsta", "sector-energi"], accepted.State.Recipients.Select(r => r.Reporter));
        Assert.All(accepted.State.Recipients, r => Assert.Equal(RecipientStatus.Sent, ReportRequestRules.StatusOf(r, accepted.State.Deadline, Decisions.Now)));
        Assert.Equal(["Hur länge räcker dieseln?"], Assert.IsType<ReportRequested>(accepted.Change).Questions.ToArray());
        Assert.Equal(Anna, accepted.State.AskedBy);
    }

    [Fact]
    public void A_deadline_in_the_past_or_now_is_refused()
    {
        var messages = ReportRequestRules.Decide(Request, null, new RequestSituationReport("Läget", ["district-farsta"], Decisions.Now), AsAnna).AssertInvalid("deadline");
        Assert.Contains("Måste ligga i framtiden.", messages);
        ReportRequestRules.Decide(Request, null, new RequestSituationReport("Läget", ["district-farsta"], Decisions.Now.AddMinutes(-1)), AsAnna).AssertInvalid("deadline");
    }

    [Fact]
    public void A_request_without_recipients_or_to_an_unknown_district_is_refused()
    {
        ReportRequestRules.Decide(Request, null, new RequestSituationReport("Läget", [], Decisions.Now.AddHours(1)), AsAnna).AssertInvalid("recipients");
        ReportRequestRules.Decide(Request, null, new RequestSituationReport("Läget", ["farsta"], Decisions.Now.AddHours(1)), AsAnna).AssertInvalid("recipients");
        ReportRequestRules.Decide(Request, null, new RequestSituationReport("Läget", ["district-atlantis"], Decisions.Now.AddHours(1)), AsAnna).AssertInvalid("recipients");
    }

    [Fact]
    public void Reading_marks_only_the_readers_own_recipient_and_the_asker_sees_it()
    {
        var read = ReportRequestRules.Decide(Request, Asked(), new ReadReportRequest(), Decisions.Context with { Actor = Sara, Now = Decisions.Now.AddMinutes(5) }).AssertAccepted().State;

        Assert.Equal([RecipientStatus.Read, RecipientStatus.Sent], read.Recipients.Select(r => ReportRequestRules.StatusOf(r, read.Deadline, Decisions.Now.AddMinutes(6))));
    }

    [Fact]
    public void An_answer_raises_the_answer_rate_and_an_unanswered_recipient_is_overdue_just_after_the_deadline()
    {
        var asked = Asked();
        var answered = ReportRequestRules.Decide(Request, asked, new RecordReportAnswer("district-farsta", 3), Decisions.Context with { Actor = Actor.System }).AssertAccepted().State;

        Assert.Equal(0.5, ReportRequestRules.AnswerRate(answered));
        var energi = answered.Recipients[1];
        Assert.Equal(RecipientStatus.Sent, ReportRequestRules.StatusOf(energi, answered.Deadline, answered.Deadline));
        Assert.Equal(RecipientStatus.Overdue, ReportRequestRules.StatusOf(energi, answered.Deadline, answered.Deadline.AddTicks(1)));
        Assert.Equal(RecipientStatus.Answered, ReportRequestRules.StatusOf(answered.Recipients[0], answered.Deadline, answered.Deadline.AddDays(1)));
        Assert.Equal(3, answered.Recipients[0].Report);
    }

    [Fact]
    public void An_answer_from_a_reporter_the_request_was_not_addressed_to_is_refused()
    {
        var refusal = ReportRequestRules.Decide(Request, Asked(), new RecordReportAnswer("district-sodermalm", 1), Decisions.Context with { Actor = Actor.System })
            .AssertRefused(RefusalKind.Conflict);
        Assert.Contains("inte ställd till district-sodermalm", refusal.Reason);
    }

    [Fact]
    public void The_reminder_goes_to_those_who_have_not_answered_once_and_not_after_the_deadline()
    {
        var asked = Asked();
        var answered = ReportRequestRules.Decide(Request, asked, new RecordReportAnswer("district-farsta", 1), Decisions.Context).AssertAccepted().State;
        var at = ReportRequestRules.RemindAt(answered, TimeSpan.FromMinutes(30));
        Assert.Equal(asked.Deadline.AddMinutes(-30), at);

        var reminded = ReportRequestRules.Decide(Request, answered, new RemindReportRequest(), Decisions.Context with { Now = at }).AssertAccepted();

        Assert.Equal(["sector-energi"], Assert.IsType<ReportRequestReminded>(reminded.Change).Recipients.ToArray());
        ReportRequestRules.Decide(Request, reminded.State, new RemindReportRequest(), Decisions.Context with { Now = at }).AssertRefused(RefusalKind.Conflict);
        ReportRequestRules.Decide(Request, answered, new RemindReportRequest(), Decisions.Context with { Now = asked.Deadline }).AssertRefused(RefusalKind.Conflict);
    }

    [Fact]
    public void A_reminder_lead_longer_than_the_time_given_reminds_at_once()
    {
        var asked = Asked();

        Assert.Equal(asked.AskedAt, ReportRequestRules.RemindAt(asked, TimeSpan.FromHours(5)));
    }
}
