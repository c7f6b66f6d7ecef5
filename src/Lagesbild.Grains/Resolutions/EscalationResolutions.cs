using System.Security.Cryptography;
using System.Text;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Resolutions;

/// <summary>
/// Every step on the escalation ladder (the city's level, a district's local level) is a beslut:
/// once the step is stored, its beslut is recorded as <c>Resolution/niva-&lt;seq&gt;</c>, pointing at the
/// step's loggbok entry and at the picture as it stood just before it (what the decider saw).
/// The two are two appends, so they never part this way: the beslut's command id follows from the step,
/// a failure to record it fails the step's command (the caller is told to try again), and the retry
/// with the same Idempotency-Key, answered as before, records the beslut if it is still missing.
/// </summary>
public static class EscalationResolutions
{
    public static string IdOf(long changeSeq) => $"niva-{changeSeq}";

    public static async Task RecordAsync(IGrainFactory grains, ILogger logger, string picture, Command step, RecordEscalationResolution resolution)
    {
        var id = IdOf(resolution.Step!.ChangeSeq);
        // Lagesbild records it (the step's own entry names the person); a note kept internal stays internal.
        var result = await grains.GetGrain<IResolutionGrain>(EntityKey.Of(picture, id))
            .Handle(resolution with { Reason = step.Reason, Internal = step.Internal }, Actor.System, CommandIdOf(picture, id));
        // Recorded already (by an earlier try that was not told so) is what a retry is for.
        if (result.Refusal is { Kind: not RefusalKind.Conflict } refusal)
            logger.LogError("The beslut {Resolution} of a level change in {Picture} was refused: {Reason}", id, picture, refusal.Reason);
    }

    private static Guid CommandIdOf(string picture, string id) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{picture}\n{id}\nbeslut")).AsSpan(0, 16));
}
