using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Resolutions;

/// <summary>
/// Every step on the escalation ladder (the city's level, a district's local level) is a beslut:
/// once the step is stored, its beslut is recorded as <c>Resolution/niva-&lt;seq&gt;</c>, pointing at the
/// step's loggbok entry and at the picture as it stood just before it (what the decider saw).
/// </summary>
public static class EscalationResolutions
{
    public static string IdOf(long changeSeq) => $"niva-{changeSeq}";

    public static async Task RecordAsync(IGrainFactory grains, ILogger logger, string picture, Command step, RecordEscalationResolution resolution)
    {
        var id = IdOf(resolution.Step!.ChangeSeq);
        try
        {
            // Lagesbild records it (the step's own entry names the person); a note kept internal stays internal.
            var result = await grains.GetGrain<IResolutionGrain>(EntityKey.Of(picture, id))
                .Handle(resolution with { Reason = step.Reason, Internal = step.Internal }, Actor.System, Guid.NewGuid());
            if (result.Refusal is { } refusal)
                logger.LogError("The beslut {Resolution} of a level change in {Picture} was refused: {Reason}", id, picture, refusal.Reason);
        }
        catch (Exception error)
        {
            logger.LogError(error, "The beslut {Resolution} of a level change in {Picture} could not be recorded", id, picture);
        }
    }
}
