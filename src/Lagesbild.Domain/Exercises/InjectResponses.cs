using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Resolutions;

namespace Lagesbild.Domain.Exercises;

/// <summary>The kinds of answer an inspel's expected action (the MSEL's "förväntad åtgärd") can ask for.</summary>
public enum ResponseKind
{
    /// <summary>En aktivering: a crisis body activated or put on standby.</summary>
    Activation,
    /// <summary>En lägesrapport.</summary>
    Report,
    /// <summary>Ett beslut.</summary>
    Decision,
    /// <summary>Ett uppdrag.</summary>
    Task,
}

/// <summary>One accepted change that may answer an inspel: its kind, who made it (their role, district and sector name the desk), when, and its place in the loggbok.</summary>
public sealed record ExerciseResponse(ResponseKind Kind, Actor By, DateTimeOffset At, long Seq);

/// <summary>For one inspel: the answer it expects, when it was delivered, the first answer of that kind from its recipient, and the time in between.</summary>
public sealed record InjectResponseTime(string Inject, ResponseKind? Expected, DateTimeOffset? DeliveredAt, ExerciseResponse? FirstResponse, TimeSpan? TimeToResponse);

/// <summary>Evaluation: the time from each inspel's delivery to the first response matching its expected action.</summary>
public static class InjectResponses
{
    /// <summary>The answer an expected action asks for, read from its words (aktivera, lägesrapport, beslut, uppdrag); null when it names none of them.</summary>
    public static ResponseKind? ExpectedKind(string? expectedAction)
    {
        var words = expectedAction?.ToLowerInvariant() ?? "";
        return words.Contains("aktiver", StringComparison.Ordinal) ? ResponseKind.Activation
            : words.Contains("rapport", StringComparison.Ordinal) ? ResponseKind.Report
            : words.Contains("beslut", StringComparison.Ordinal) ? ResponseKind.Decision
            : words.Contains("uppdrag", StringComparison.Ordinal) ? ResponseKind.Task
            : null;
    }

    /// <summary>The kind of answer a loggbok entry's change is, by its type; null for every other change.</summary>
    public static ResponseKind? KindOf(string changeType) => changeType switch
    {
        nameof(CrisisBodyActivationChanged) => ResponseKind.Activation,
        nameof(SituationReportSent) => ResponseKind.Report,
        nameof(ResolutionRecorded) => ResponseKind.Decision,
        nameof(AssignmentSent) => ResponseKind.Task,
        _ => null,
    };

    /// <summary>
    /// The desk an inspel is addressed to: the district, sector or crisis body it names, or for a trygghetspunkt the
    /// district that owns it (<paramref name="districtOfPoint"/>); null when the point is not known.
    /// </summary>
    public static Assignee? RecipientOf(Inject inject, Func<string, string?> districtOfPoint) => inject.ToKind switch
    {
        InjectTargetKind.District => new Assignee(AssigneeKind.District, inject.To),
        InjectTargetKind.Sector => new Assignee(AssigneeKind.Sector, inject.To),
        InjectTargetKind.CrisisBody => new Assignee(AssigneeKind.CrisisBody, inject.To),
        InjectTargetKind.SafetyPoint => districtOfPoint(inject.To) is { } district ? new Assignee(AssigneeKind.District, district) : null,
        _ => null,
    };

    /// <summary>
    /// For every inspel of the scenario, in scenario order: the first response of the expected kind at or after its
    /// delivery from the desk it was addressed to (<see cref="RecipientOf"/>; who is that desk is <see cref="Access.IsReceiver"/>,
    /// the rule an uppdrag's and a message's receiver is judged by), and the time it took. Another desk's response does
    /// not count. An inspel not delivered, without an expected action, or not answered yet has no time.
    /// </summary>
    public static IReadOnlyList<InjectResponseTime> Measure(IEnumerable<Inject> injects, ExerciseRunState run, IReadOnlyCollection<ExerciseResponse> responses,
        Func<string, string?> districtOfPoint) =>
        injects.OrderBy(i => i.At).ThenBy(i => i.Id, StringComparer.Ordinal).Select(inject =>
        {
            var expected = ExpectedKind(inject.ExpectedAction);
            var delivered = run.Mark(inject.Id)?.DeliveredAt;
            var recipient = RecipientOf(inject, districtOfPoint);
            var first = expected is null || delivered is null || recipient is null
                ? null
                : responses
                    .Where(r => r.Kind == expected && r.At >= delivered && Access.IsReceiver(r.By, recipient))
                    .MinBy(r => r.Seq);
            return new InjectResponseTime(inject.Id, expected, delivered, first, first is null ? null : first.At - delivered!.Value);
        }).ToArray();
}
