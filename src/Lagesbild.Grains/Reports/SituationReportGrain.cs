using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.CrisisBodies;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Sectors;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Reports;

/// <summary>
/// One reporter's lägesrapporter in a picture: numbered, never rewritten, corrected by new versions.
/// A report that answers a begäran is stored first and the begäran marked answered second, in two
/// appends. When the second fails the report still stands, and Lagesbild completes the answer: a
/// timer here tries again with a growing wait, an activation looks for an answer not yet on its
/// begäran, and a retry of the report's command completes it too. The answer's command id follows
/// from the report, so however many of these meet, it is recorded once.
/// </summary>
public interface ISituationReportGrain : IEntityGrain<SituationReportCommand>;

public sealed class SituationReportGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<SituationReportGrain> logger)
    : EntityGrain<SituationReportState, SituationReportCommand>(store, areas, officeHours, clock, logger), ISituationReportGrain
{
    protected override EntityKind Kind => EntityKind.SituationReport;

    private string Stream => EntityKey.Parse(this.GetPrimaryKeyString()).Id;

    protected override Decision<SituationReportState> Decide(EntityRef self, SituationReportState? state, SituationReportCommand command, DecideContext context) =>
        ReportRules.Decide(self, state, command, context);

    protected override string? DistrictOf(SituationReportState state) => state.District;

    /// <summary>
    /// What the rules cannot see from the reporter alone: the sector or crisis body must exist, and
    /// a report that answers a begäran must answer one addressed to this reporter.
    /// </summary>
    protected override async Task<Refusal?> CheckReferencesAsync(SituationReportCommand command)
    {
        var reporter = ReportRules.ReporterOf(Stream)!;
        var exists = reporter.Kind switch
        {
            AssigneeKind.Sector => await GrainFactory.GetGrain<ISectorGrain>(EntityKey.Of(Picture, reporter.Id!)).Record() is not null,
            AssigneeKind.CrisisBody => await GrainFactory.GetGrain<ICrisisBodyGrain>(EntityKey.Of(Picture, reporter.Id!)).Record() is not null,
            _ => true,
        };
        if (!exists)
            return new Refusal(RefusalKind.NotFound, $"{(reporter.Kind == AssigneeKind.Sector ? "Sektorn" : "Krisledningsorganet")} {reporter.Id} finns inte i den här lägesbilden.");
        if (command is not SubmitSituationReport { Request: { } requestId })
            return null;
        var record = await GrainFactory.GetGrain<IReportRequestGrain>(EntityKey.Of(Picture, requestId)).Record();
        if (record is null)
            return Refusal.Invalid(new Dictionary<string, string[]> { ["request"] = [$"Begäran {requestId} finns inte i den här lägesbilden."] });
        using var document = JsonDocument.Parse(record);
        var request = document.RootElement.GetProperty("state").Deserialize<ReportRequestState>(DomainJson.Options)!;
        return request.Recipients.Any(r => r.Reporter == Stream)
            ? null
            : new Refusal(RefusalKind.Forbidden, $"Begäran {requestId} är inte ställd till {Stream}; svara på en begäran till er eller skriv rapporten utan begäran.");
    }

    private CompletionRetry? _completion;

    private CompletionRetry Completion => _completion ??= new CompletionRetry(this, CompleteAsync, logger, $"the answers of {Stream} in {Picture}");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        // Looked for behind the activation, so a store that does not answer never holds it up.
        Completion.Arm(TimeSpan.Zero, keepAlive: false);
    }

    /// <summary>A report that answers a begäran marks its recipient answered; the report stands either way.</summary>
    protected override async Task AfterAppendAsync(SituationReportCommand command, Accepted<SituationReportState> accepted, Actor actor, long seq)
    {
        if (command is not SubmitSituationReport { Request: { } requestId })
            return;
        try
        {
            await AnswerAsync(requestId, accepted.State.Number);
        }
        catch (Exception error)
        {
            logger.LogWarning(error, "The answer of {Stream} to {Request} in {Picture} could not be recorded yet; trying again", Stream, requestId, Picture);
            Completion.Arm(CompletionRetry.FirstWait, keepAlive: true);
        }
    }

    protected override Task CompleteOnRetryAsync(SituationReportCommand command, Actor actor, long seq, JsonElement entry) =>
        command is SubmitSituationReport { Request: { } requestId } && entry.GetProperty("change").TryGetProperty("number", out var number)
            ? AnswerAsync(requestId, number.GetInt32())
            : Task.CompletedTask;

    private async Task AnswerAsync(string requestId, int number)
    {
        var commandId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes($"{Picture}/{Stream}/{number}\nanswers {requestId}")).AsSpan(0, 16));
        var result = await GrainFactory.GetGrain<IReportRequestGrain>(EntityKey.Of(Picture, requestId))
            .Handle(new RecordReportAnswer(Stream, number), Actor.System, commandId);
        if (result.Refusal is { } refusal)
            logger.LogError("The answer of {Stream} to {Request} in {Picture} was refused: {Reason}", Stream, requestId, Picture, refusal.Reason);
    }

    /// <summary>Each begäran this reporter answered gets its latest answer, if the begäran does not have it yet.</summary>
    private async Task CompleteAsync()
    {
        var answered = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in await OwnEntriesAsync())
        {
            using var document = JsonDocument.Parse(text);
            var entry = document.RootElement;
            if (entry.GetProperty("type").GetString() != nameof(SituationReportSent)
                || entry.GetProperty("change").GetProperty("request").GetString() is not { } requestId)
                continue;
            answered[requestId] = Math.Max(answered.GetValueOrDefault(requestId), entry.GetProperty("change").GetProperty("number").GetInt32());
        }
        foreach (var (requestId, number) in answered)
        {
            if (await GrainFactory.GetGrain<IReportRequestGrain>(EntityKey.Of(Picture, requestId)).Record() is not { } record)
                continue;
            using var document = JsonDocument.Parse(record);
            var request = document.RootElement.GetProperty("state").Deserialize<ReportRequestState>(DomainJson.Options)!;
            if (request.Recipients.FirstOrDefault(r => r.Reporter == Stream) is { } recipient && (recipient.Report ?? 0) < number)
            {
                await AnswerAsync(requestId, number);
                logger.LogInformation("Recorded the missing answer of {Stream} to {Request} in {Picture}", Stream, requestId, Picture);
            }
        }
    }
}
