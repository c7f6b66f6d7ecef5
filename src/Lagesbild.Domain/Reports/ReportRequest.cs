using System.Collections.Immutable;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Reports;

/// <summary>Where one recipient of a begäran stands; <see cref="Overdue"/> is worked out from the deadline, never stored.</summary>
public enum RecipientStatus
{
    /// <summary>Skickad.</summary>
    Sent,
    /// <summary>Läst.</summary>
    Read,
    /// <summary>Besvarad.</summary>
    Answered,
    /// <summary>Försenad: the deadline passed without an answer.</summary>
    Overdue,
}

/// <summary>One recipient of a begäran (its report stream's id, e.g. <c>district-farsta</c>), when it read it and which report answered it.</summary>
public sealed record ReportRecipient(string Reporter, DateTimeOffset? ReadAt = null, DateTimeOffset? AnsweredAt = null, int? Report = null);

/// <summary>
/// A begäran om lägesrapport: who asked whom, by when. The own questions are in the loggbok entry
/// that sent it, read when it is opened; the state keeps what the asker follows live.
/// </summary>
public sealed record ReportRequestState(
    string Name,
    Actor AskedBy,
    DateTimeOffset AskedAt,
    DateTimeOffset Deadline,
    ImmutableArray<ReportRecipient> Recipients,
    string? District = null,
    DateTimeOffset? RemindedAt = null);

public abstract record ReportRequestCommand : Command
{
    public override EntityKind Kind => EntityKind.ReportRequest;
}

/// <summary>Asks named recipients (report streams: <c>district-…</c>, <c>sector-…</c>, <c>body-…</c>) for a lägesrapport by a deadline, optionally with own questions.</summary>
public sealed record RequestSituationReport(string? Title, ImmutableArray<string>? Recipients, DateTimeOffset? Deadline, ImmutableArray<string>? Questions = null) : ReportRequestCommand
{
    public override bool Creates => true;

    protected override void Check(Problems problems)
    {
        problems.Text("title", Title, ReportRules.HeadlineLimit, required: true);
        if (Recipients is not { Length: > 0 } recipients)
            problems.Add("recipients", "Måste anges: minst en mottagare.");
        else if (recipients.Length > ReportRequestRules.RecipientLimit)
            problems.Add("recipients", $"Högst {ReportRequestRules.RecipientLimit} mottagare (är {recipients.Length}).");
        else if (recipients.Any(r => r is null || !EntityRef.IsValidId(r) || ReportRules.ReporterOf(r) is null))
            problems.Add("recipients", "En mottagare är ett stadsdelsområde (district-…), en sektor (sector-…) eller ett krisledningsorgan (body-…).");
        if (Deadline is null)
            problems.Add("deadline", "Måste anges: när rapporten ska vara inne.");
        if (Questions is { } questions)
        {
            if (questions.Length > ReportRequestRules.QuestionLimit)
                problems.Add("questions", $"Högst {ReportRequestRules.QuestionLimit} frågor (är {questions.Length}).");
            foreach (var question in questions)
                problems.Text("questions", question, ReportRules.ShortLimit, required: true);
        }
    }
}

/// <summary>A recipient has opened the begäran (läst).</summary>
public sealed record ReadReportRequest : ReportRequestCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>Lagesbild records that a report answered the begäran, when the recipient sends it.</summary>
public sealed record RecordReportAnswer(string? Reporter, int? Report) : ReportRequestCommand
{
    protected override void Check(Problems problems)
    {
        if (!EntityRef.IsValidId(Reporter))
            problems.Add("reporter", "Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck.");
        problems.Range("report", Report, 1, int.MaxValue);
    }
}

/// <summary>Lagesbild reminds the recipients that have not answered, a lead time before the deadline.</summary>
public sealed record RemindReportRequest : ReportRequestCommand
{
    protected override void Check(Problems problems) { }
}

/// <summary>What the loggbok keeps of a begäran, with its own questions.</summary>
public sealed record ReportRequested(string Title, ImmutableArray<string> Recipients, DateTimeOffset Deadline, ImmutableArray<string> Questions) : Change;

public sealed record ReportRequestRead(ImmutableArray<string> Recipients) : Change;

public sealed record ReportRequestAnswered(string Reporter, int Report) : Change;

/// <summary>A reminder to the recipients still to answer; their pages show it.</summary>
public sealed record ReportRequestReminded(ImmutableArray<string> Recipients, DateTimeOffset Deadline) : Change;

/// <summary>The rules of a begäran om lägesrapport.</summary>
public static class ReportRequestRules
{
    public const int RecipientLimit = 50;
    public const int QuestionLimit = 20;

    public static Decision<ReportRequestState> Decide(EntityRef self, ReportRequestState? state, ReportRequestCommand command, DecideContext context)
    {
        if (command.Validate() is { } invalid)
            return invalid;
        if (state is null)
        {
            if (command is not RequestSituationReport request)
                return Refusal.NotFound(self);
            if (request.Deadline <= context.Now)
                return Refusal.Invalid(new Dictionary<string, string[]> { ["deadline"] = ["Måste ligga i framtiden."] });
            if (request.Deadline > context.Now.AddDays(30))
                return Refusal.Invalid(new Dictionary<string, string[]> { ["deadline"] = ["Får ligga högst 30 dagar fram."] });
            var recipients = request.Recipients!.Value.Distinct(StringComparer.Ordinal).ToImmutableArray();
            var missing = recipients.Where(r => ReportRules.ReporterOf(r) is { Kind: AssigneeKind.District, Id: var d } && !context.Areas.DistrictExists(d!)).ToArray();
            if (missing.Length > 0)
                return Refusal.Invalid(new Dictionary<string, string[]> { ["recipients"] = [$"Stadsdelsområdet finns inte: {string.Join(", ", missing)}."] });
            var asker = context.Actor ?? Actor.System;
            var questions = request.Questions?.Select(q => q.Trim()).ToImmutableArray() ?? [];
            return Decision<ReportRequestState>.Accept(
                new ReportRequested(request.Title!.Trim(), recipients, request.Deadline!.Value, questions),
                new ReportRequestState(request.Title.Trim(), asker, context.Now, request.Deadline.Value,
                    [.. recipients.Select(r => new ReportRecipient(r))], asker.Role == Roles.District ? asker.District : null));
        }
        switch (command)
        {
            case RequestSituationReport:
                return Refusal.Conflict($"Begäran {self.Id} finns redan.");
            case ReadReportRequest:
                var mine = state.Recipients.Where(r => r.ReadAt is null && IsFor(context.Actor, r.Reporter)).Select(r => r.Reporter).ToImmutableArray();
                if (mine.Length == 0)
                    return Refusal.Conflict("Begäran är redan läst.");
                return Decision<ReportRequestState>.Accept(new ReportRequestRead(mine), state with
                {
                    Recipients = [.. state.Recipients.Select(r => mine.Contains(r.Reporter) ? r with { ReadAt = context.Now } : r)],
                });
            case RecordReportAnswer answer:
                if (state.Recipients.All(r => r.Reporter != answer.Reporter))
                    return Refusal.Conflict($"Begäran {self.Id} är inte ställd till {answer.Reporter}.");
                return Decision<ReportRequestState>.Accept(new ReportRequestAnswered(answer.Reporter!, answer.Report!.Value), state with
                {
                    Recipients = [.. state.Recipients.Select(r => r.Reporter == answer.Reporter
                        ? r with { ReadAt = r.ReadAt ?? context.Now, AnsweredAt = r.AnsweredAt ?? context.Now, Report = answer.Report }
                        : r)],
                });
            case RemindReportRequest:
                var waiting = state.Recipients.Where(r => r.AnsweredAt is null).Select(r => r.Reporter).ToImmutableArray();
                if (!AwaitsReminder(state, context.Now))
                    return Refusal.Conflict("Ingen påminnelse behövs: alla har svarat, den är redan skickad eller tiden har gått ut.");
                return Decision<ReportRequestState>.Accept(new ReportRequestReminded(waiting, state.Deadline), state with { RemindedAt = context.Now });
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown request command.");
        }
    }

    /// <summary>Whether the actor answers for this recipient: central answers for central krisledning, a district for itself and its local body, a sector lead for her sector.</summary>
    public static bool IsFor(Actor? actor, string reporter) =>
        actor is not null && ReportRules.ReporterOf(reporter) is { } to && Access.IsReceiver(actor, to);

    /// <summary>Where a recipient stands at <paramref name="now"/>: answered, else overdue once the deadline has passed, else read or sent.</summary>
    public static RecipientStatus StatusOf(ReportRecipient recipient, DateTimeOffset deadline, DateTimeOffset now) =>
        recipient.AnsweredAt is not null ? RecipientStatus.Answered
        : now > deadline ? RecipientStatus.Overdue
        : recipient.ReadAt is not null ? RecipientStatus.Read
        : RecipientStatus.Sent;

    /// <summary>A begäran is followed (its answers, its late recipients) until a day after its deadline; older ones are in the loggbok.</summary>
    public static DateTimeOffset FollowedUntil(ReportRequestState state) => state.Deadline.AddDays(1);

    public static bool IsFollowed(ReportRequestState state, DateTimeOffset now) => now <= FollowedUntil(state);

    /// <summary>The share of recipients that have answered, 0–1.</summary>
    public static double AnswerRate(ReportRequestState state) =>
        state.Recipients.Length == 0 ? 0 : (double)state.Recipients.Count(r => r.AnsweredAt is not null) / state.Recipients.Length;

    /// <summary>Whether the begäran still has its reminder to come: not sent yet, someone yet to answer, and the deadline ahead.</summary>
    public static bool AwaitsReminder(ReportRequestState state, DateTimeOffset now) =>
        state.RemindedAt is null && now < state.Deadline && state.Recipients.Any(r => r.AnsweredAt is null);

    /// <summary>When the reminder is due: the lead time before the deadline, but never before the request was sent.</summary>
    public static DateTimeOffset RemindAt(ReportRequestState state, TimeSpan lead) =>
        state.Deadline - lead < state.AskedAt ? state.AskedAt : state.Deadline - lead;
}
