using System.Text.Json;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Reports;
using Lagesbild.Grains.CrisisBodies;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.Sectors;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Reports;

/// <summary>One reporter's lägesrapporter in a picture: numbered, never rewritten, corrected by new versions.</summary>
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

    /// <summary>A report that answers a begäran marks its recipient answered; the report stands either way.</summary>
    protected override async Task AfterAppendAsync(SituationReportCommand command, Accepted<SituationReportState> accepted, Actor actor, long seq)
    {
        if (command is not SubmitSituationReport { Request: { } requestId })
            return;
        try
        {
            var result = await GrainFactory.GetGrain<IReportRequestGrain>(EntityKey.Of(Picture, requestId))
                .Handle(new RecordReportAnswer(Stream, accepted.State.Number), Actor.System, Guid.NewGuid());
            if (result.Refusal is { } refusal)
                logger.LogError("The answer of {Stream} to {Request} in {Picture} was refused: {Reason}", Stream, requestId, Picture, refusal.Reason);
        }
        catch (Exception error)
        {
            logger.LogError(error, "The answer of {Stream} to {Request} in {Picture} could not be recorded", Stream, requestId, Picture);
        }
    }
}
