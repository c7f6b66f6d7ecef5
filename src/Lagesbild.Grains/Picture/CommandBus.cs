using Lagesbild.Domain.Alerts;
using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Reports;
using Lagesbild.Domain.Duty;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;
using Lagesbild.Grains.Alerts;
using Lagesbild.Grains.Assignments;
using Lagesbild.Grains.City;
using Lagesbild.Grains.CrisisBodies;
using Lagesbild.Grains.Districts;
using Lagesbild.Grains.Reports;
using Lagesbild.Grains.Duty;
using Lagesbild.Grains.Resolutions;
using Lagesbild.Grains.ResourceRequests;
using Lagesbild.Domain.Resources;
using Lagesbild.Grains.SafetyPoints;
using Lagesbild.Grains.Sectors;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Picture;

/// <summary>
/// The one path every command takes, from HTTP and from the hub alike: check the picture
/// and the id, then hand the command to the grain that owns the thing.
/// </summary>
public sealed class CommandBus(IGrainFactory grains, Microsoft.Extensions.Logging.ILogger<CommandBus> logger)
{
    public async Task<CommandResult> SendAsync(string picture, string target, Command command, Actor actor, Guid? commandId = null)
    {
        if (!PictureId.IsValid(picture))
            return CommandResult.Refused(new Refusal(RefusalKind.NotFound, $"Lägesbilden '{picture}' finns inte."));
        if (!EntityRef.IsValidId(target))
        {
            return CommandResult.Refused(Refusal.Invalid(new Dictionary<string, string[]>
            {
                ["id"] = ["Ett id består av 1–60 små bokstäver a–z, siffror och bindestreck."],
            }));
        }

        var key = EntityKey.Of(picture, target);
        var id = commandId ?? Guid.NewGuid();
        var result = await FollowHandOffAsync(async () => command switch
        {
            SafetyPointCommand c => await grains.GetGrain<ISafetyPointGrain>(key).Handle(c, actor, id),
            DistrictCommand c => await grains.GetGrain<IDistrictGrain>(key).Handle(c, actor, id),
            SectorCommand c => await grains.GetGrain<ISectorGrain>(key).Handle(c, actor, id),
            CrisisBodyCommand c => await grains.GetGrain<ICrisisBodyGrain>(key).Handle(c, actor, id),
            CityCommand c => await grains.GetGrain<ICityGrain>(key).Handle(c, actor, id),
            ResolutionCommand c => await grains.GetGrain<IResolutionGrain>(key).Handle(c, actor, id),
            AssignmentCommand c => await grains.GetGrain<IAssignmentGrain>(key).Handle(c, actor, id),
            SituationReportCommand c => await grains.GetGrain<ISituationReportGrain>(key).Handle(c, actor, id),
            ReportRequestCommand c => await grains.GetGrain<IReportRequestGrain>(key).Handle(c, actor, id),
            DutyRosterCommand c => await grains.GetGrain<IDutyRosterGrain>(key).Handle(c, actor, id),
            ResourceCommand c => await grains.GetGrain<IResourceGrain>(key).Handle(c, actor, id),
            ResourceRequestCommand c => await grains.GetGrain<IResourceRequestGrain>(key).Handle(c, actor, id),
            AlertCommand c => await grains.GetGrain<IAlertGrain>(key).Handle(c, actor, id),
            Domain.Exercises.ExerciseCommand c => await grains.GetGrain<Exercises.IExerciseGrain>(key).Handle(c, actor, id),
            Domain.Exercises.MessageCommand c => await grains.GetGrain<Exercises.IMessageGrain>(key).Handle(c, actor, id),
            Domain.Exercises.EvaluationCommand c => await grains.GetGrain<Exercises.IEvaluationGrain>(key).Handle(c, actor, id),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown command."),
        });
        if (result.Refusal is { Kind: RefusalKind.Forbidden } forbidden)
        {
            logger.LogWarning("Refused {Command} on {Kind}/{Target} in {Picture} for {Actor} ({Role}, {District}{Sector}): {Reason}",
                command.GetType().Name, command.Kind, target, picture, actor.Name, actor.Role, actor.District, actor.Sector, forbidden.Reason);
        }
        return result;
    }

    /// <summary>How long a command follows an entity that its node is handing on: ten tries, a tenth of a second apart.</summary>
    public const int HandOffTries = 10;
    private static readonly TimeSpan HandOffPause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// A node that steps aside answers what its grains held (and what reaches them before they
    /// have moved) with a handed-on StoreUnavailableException. The entity is on its way to a
    /// healthy node, so the same command, with the same id, is sent after it here rather than
    /// making the caller wait a Retry-After for it: it is not stored twice, because the
    /// activation that gave up never appends after stepping aside, and an append it had sent
    /// before is found by its command id.
    /// </summary>
    private async Task<CommandResult> FollowHandOffAsync(Func<Task<CommandResult>> send)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await send();
            }
            catch (StoreUnavailableException handedOn) when (handedOn.HandedOn && tries < HandOffTries)
            {
                logger.LogDebug("{Node} is handing the entity on; sending the command after it ({Tries})", handedOn.Node, tries);
                await Task.Delay(HandOffPause);
            }
        }
    }
}
