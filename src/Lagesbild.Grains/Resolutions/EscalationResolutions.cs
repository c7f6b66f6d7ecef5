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
/// The two are two appends; the beslut's command id follows from the step, so it is recorded once
/// however often it is tried (see <see cref="LadderGrain{TState, TCommand}"/> for who tries).
/// </summary>
public static class EscalationResolutions
{
    public static string IdOf(long changeSeq) => $"niva-{changeSeq}";

    public static EntityRef RefOf(long changeSeq) => new(EntityKind.Resolution, IdOf(changeSeq));

    /// <param name="reason">The step's reason; a note kept internal (<paramref name="isInternal"/>) stays internal in its beslut.</param>
    public static async Task RecordAsync(IGrainFactory grains, ILogger logger, string picture, string? reason, bool isInternal, RecordEscalationResolution resolution)
    {
        var id = IdOf(resolution.Step!.ChangeSeq);
        // Lagesbild records it (the step's own entry names the person).
        var result = await grains.GetGrain<IResolutionGrain>(EntityKey.Of(picture, id))
            .Handle(resolution with { Reason = reason, Internal = isInternal }, Actor.System, CommandIdOf(picture, id));
        // Recorded already (by an earlier try that was not told so) is what a retry is for.
        if (result.Refusal is { Kind: not RefusalKind.Conflict } refusal)
            logger.LogError("The beslut {Resolution} of a level change in {Picture} was refused: {Reason}", id, picture, refusal.Reason);
    }

    private static Guid CommandIdOf(string picture, string id) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"{picture}\n{id}\nbeslut")).AsSpan(0, 16));
}
