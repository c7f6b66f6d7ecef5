using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Domain.Sectors;

namespace Lagesbild.Domain.Exercises;

/// <summary>
/// One loggbok entry of an exercise picture as the after-action report reads it: who made which change when,
/// and for an entry of the run (<see cref="EntityKind.Exercise"/>) the exercise clock after it.
/// </summary>
public sealed record ExerciseEntry(long Seq, DateTimeOffset At, EntityRef Entity, Actor Actor, Change Change, ExerciseClock? Clock = null)
{
    /// <summary>The name of the person (or Lagesbild) who made the change.</summary>
    public string By => Actor.Name;
}

/// <summary>A key moment of the exercise: when (wall and scenario time), who, and what happened, in words.</summary>
public sealed record TimelineItem(long Seq, DateTimeOffset At, TimeSpan? ScenarioAt, string By, string What);

/// <summary>
/// One inspel in the inject-to-response table: the scenario's row, when it was delivered, and the first response
/// matching its expected action (<see cref="InjectResponses"/>) with the time it took, in wall and in scenario time.
/// </summary>
public sealed record InjectResponseRow(
    string Inject, TimeSpan PlannedAt, string To, string Text, string? ExpectedAction, ResponseKind? Expected, string? Objective,
    bool Skipped, DateTimeOffset? DeliveredAt, TimeSpan? DeliveredAtScenario,
    DateTimeOffset? RespondedAt, TimeSpan? RespondedAtScenario, string? RespondedBy, long? ResponseSeq,
    TimeSpan? TimeToResponse, TimeSpan? ScenarioTimeToResponse);

/// <summary>A beslut recorded during the exercise.</summary>
public sealed record DecisionItem(long Seq, DateTimeOffset At, TimeSpan? ScenarioAt, string Title, string DecidedBy, Mandate Mandate);

/// <summary>An exercise objective (the MSEL's objective column): the inspel that test it and its latest rating.</summary>
public sealed record ObjectiveItem(string Objective, IReadOnlyList<string> Injects, ObjectiveRating? Rating, string? Comment, string? RatedBy, DateTimeOffset? RatedAt);

/// <summary>An improvement item: what should change, who owns it, who recorded it when.</summary>
public sealed record ImprovementItem(string Id, string What, string Owner, string By, DateTimeOffset At);

/// <summary>An evaluator's observation at a scenario time, optionally about an inspel and an objective.</summary>
public sealed record ObservationItem(string Id, DateTimeOffset At, TimeSpan? ScenarioAt, string By, string Text, string? Inject, string? Objective);

/// <summary>
/// The after-action report (utvärderingsrapport) of an exercise: its timeline, the inject-to-response table, the
/// decisions, the reports overdue, the objectives' ratings, the improvement items and the observations.
/// <see cref="Preliminary"/> until exercise control stops the exercise.
/// </summary>
public sealed record AfterActionReport(
    bool Preliminary,
    ClockState Clock,
    TimeSpan ScenarioTime,
    IReadOnlyList<TimelineItem> Timeline,
    IReadOnlyList<InjectResponseRow> Injects,
    IReadOnlyList<DecisionItem> Decisions,
    IReadOnlyList<OverdueReporter> OverdueReports,
    IReadOnlyList<ObjectiveItem> Objectives,
    IReadOnlyList<ImprovementItem> Improvements,
    IReadOnlyList<ObservationItem> Observations);

/// <summary>Builds the after-action report from the exercise's scenario, its run and its loggbok.</summary>
public static class AfterActionReports
{
    /// <summary>The changes the report reads, by the name the loggbok gives them; every other entry is passed by.</summary>
    public static readonly IReadOnlyDictionary<string, Type> ChangeTypes = new[]
    {
        typeof(ExerciseStarted), typeof(ExercisePaused), typeof(ExerciseResumed), typeof(ExerciseSpeedChanged), typeof(ExerciseStopped),
        typeof(InjectSkipped), typeof(InjectDelayed), typeof(InjectSentByHand), typeof(InjectDelivered), typeof(MessagePosted),
        typeof(CrisisBodyActivationChanged), typeof(SituationReportSent), typeof(ResolutionRecorded), typeof(AssignmentSent),
        typeof(CityLevelChanged), typeof(SectorStatusReported),
        typeof(ObservationNoted), typeof(ObjectiveRated), typeof(ImprovementRecorded),
    }.ToDictionary(type => type.Name, StringComparer.Ordinal);

    /// <param name="entries">The exercise picture's entries of <see cref="ChangeTypes"/>, in any order.</param>
    /// <param name="overdue">Who is late with a lägesrapport (<see cref="OverdueAtStop"/>), judged when the exercise stopped or now.</param>
    /// <param name="districtOfPoint">The district that owns a trygghetspunkt: it answers an inspel to one of its points.</param>
    public static AfterActionReport Build(IReadOnlyList<Inject> injects, ExerciseRunState run, IReadOnlyList<ExerciseEntry> entries,
        IReadOnlyList<OverdueReporter> overdue, DateTimeOffset now, Func<string, string?> districtOfPoint)
    {
        var ordered = entries.OrderBy(e => e.Seq).ToArray();
        var clocks = ordered.Where(e => e.Clock is not null).Select(e => (e.At, Clock: e.Clock!)).ToArray();
        TimeSpan? ScenarioAt(DateTimeOffset at)
        {
            var clock = clocks.LastOrDefault(c => c.At <= at).Clock;
            return clock is null || clock.State == ClockState.NotStarted ? null : clock.ScenarioTime(at);
        }

        var responses = ordered
            .Where(e => e.Change is not CrisisBodyActivationChanged { To: Activation.Inactive })
            .Select(e => (Entry: e, Kind: InjectResponses.KindOf(e.Change.GetType().Name)))
            .Where(r => r.Kind is not null)
            .ToArray();
        var bySeq = responses.ToDictionary(r => r.Entry.Seq, r => r.Entry);
        var measured = InjectResponses.Measure(injects, run,
            [.. responses.Select(r => new ExerciseResponse(r.Kind!.Value, r.Entry.Actor, r.Entry.At, r.Entry.Seq))], districtOfPoint);
        var scenario = injects.ToDictionary(i => i.Id, StringComparer.Ordinal);
        var rows = measured.Select(m =>
        {
            var inject = scenario[m.Inject];
            var mark = run.Mark(m.Inject);
            var answer = m.FirstResponse is { } first ? bySeq[first.Seq] : null;
            var respondedScenario = answer is null ? null : ScenarioAt(answer.At);
            return new InjectResponseRow(inject.Id, inject.At, inject.To, inject.Text, inject.ExpectedAction, m.Expected, inject.Objective,
                mark?.Skipped ?? false, mark?.DeliveredAt, mark?.DeliveredAtScenario,
                answer?.At, respondedScenario, answer?.By, answer?.Seq,
                m.TimeToResponse, respondedScenario - mark?.DeliveredAtScenario);
        }).ToArray();

        var decisions = ordered.Where(e => e.Change is ResolutionRecorded)
            .Select(e => (e, Recorded: (ResolutionRecorded)e.Change))
            .Select(d => new DecisionItem(d.e.Seq, d.e.At, ScenarioAt(d.e.At), d.Recorded.Title, d.Recorded.DecidedBy, d.Recorded.Mandate))
            .ToArray();

        var ratings = new Dictionary<string, (ObjectiveRated Rated, ExerciseEntry Entry)>(StringComparer.Ordinal);
        foreach (var entry in ordered)
        {
            if (entry.Change is ObjectiveRated rated)
                ratings[rated.Objective] = (rated, entry);
        }
        var objectives = injects.Select(i => i.Objective).OfType<string>().Concat(ratings.Keys)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(objective =>
            {
                var rated = ratings.TryGetValue(objective, out var r) ? r : default;
                return new ObjectiveItem(objective,
                    [.. injects.Where(i => i.Objective == objective).OrderBy(i => i.At).Select(i => i.Id)],
                    rated.Rated?.Rating, rated.Rated?.Comment, rated.Entry?.By, rated.Entry?.At);
            }).ToArray();

        var improvements = ordered.Where(e => e.Change is ImprovementRecorded)
            .Select(e => (e, Item: (ImprovementRecorded)e.Change))
            .Select(i => new ImprovementItem(i.Item.Id, i.Item.What, i.Item.Owner, i.e.By, i.e.At))
            .ToArray();
        var observations = ordered.Where(e => e.Change is ObservationNoted)
            .Select(e => (e, Noted: (ObservationNoted)e.Change))
            .Select(o => new ObservationItem(o.Noted.Id, o.e.At, o.Noted.ScenarioAt, o.e.By, o.Noted.Text, o.Noted.Inject, o.Noted.Objective))
            .ToArray();

        var timeline = ordered
            .Select(e => (Entry: e, What: Describe(e)))
            .Where(t => t.What is not null)
            .Select(t => new TimelineItem(t.Entry.Seq, t.Entry.At, ScenarioAt(t.Entry.At), t.Entry.By, t.What!))
            .ToArray();

        return new AfterActionReport(run.Clock.State != ClockState.Stopped, run.Clock.State, run.Clock.ScenarioTime(now),
            timeline, rows, decisions, overdue, objectives, improvements, observations);
    }

    /// <summary>A key moment in words, or null for an entry the timeline leaves out (the evaluation has sections of its own).</summary>
    private static string? Describe(ExerciseEntry entry) => entry.Change switch
    {
        ExerciseStarted started => $"Övningen startade ({started.Speed} × verklig tid)",
        ExercisePaused => "Övningen pausades",
        ExerciseResumed => "Övningen fortsatte",
        ExerciseSpeedChanged speed => $"Farten ändrades till {speed.Speed} × verklig tid",
        ExerciseStopped => "Övningen avslutades",
        InjectSkipped skipped => $"Inspel {skipped.Inject} hoppades över",
        InjectDelayed delayed => $"Inspel {delayed.Inject} sköts upp {delayed.Minutes} minuter",
        InjectDelivered { Problem: { } problem } delivered => $"Inspel {delivered.Inject} kunde inte levereras: {problem}",
        InjectDelivered delivered => $"Inspel {delivered.Inject} levererades{(delivered.ByHand ? " för hand" : "")}",
        MessagePosted { Inject: null } posted => $"Motspel från {posted.From} till {posted.To.Id}",
        CrisisBodyActivationChanged activation => $"{entry.Entity.Id}: {Activated(activation.To)}",
        SituationReportSent report => $"Lägesrapport nr {report.Number} från {entry.Entity.Id}",
        ResolutionRecorded resolution => $"Beslut: {resolution.Title}",
        AssignmentSent task => $"Uppdrag till {task.To.Id}: {task.Title}",
        CityLevelChanged level => $"Stadens nivå: {level.From} → {level.To}",
        SectorStatusReported sector => $"Sektorn {entry.Entity.Id}: {sector.To}",
        _ => null,
    };

    private static string Activated(Activation activation) => activation switch
    {
        Activation.Activated => "aktiverad",
        Activation.Standby => "i beredskap",
        _ => "avvecklad",
    };

    /// <summary>A duration as the report writes it: <c>7 min 30 s</c>, or <c>1 h 05 min</c>.</summary>
    public static string Duration(TimeSpan? duration) => duration is not { } d
        ? "–"
        : d.TotalHours >= 1 ? $"{(int)d.TotalHours} h {d.Minutes:00} min" : $"{(int)d.TotalMinutes} min {d.Seconds:00} s";
}
