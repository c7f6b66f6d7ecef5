using Lagesbild.Domain.Picture;
using Lagesbild.Domain.Resolutions;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.Logging;

namespace Lagesbild.Grains.Resolutions;

/// <summary>One beslut in a picture's beslutslogg; recorded once, never changed.</summary>
public interface IResolutionGrain : IEntityGrain<ResolutionCommand>;

public sealed class ResolutionGrain(PictureStore store, IAreas areas, IOfficeHours officeHours, TimeProvider clock, ILogger<ResolutionGrain> logger)
    : EntityGrain<ResolutionState, ResolutionCommand>(store, areas, officeHours, clock, logger), IResolutionGrain
{
    protected override EntityKind Kind => EntityKind.Resolution;

    protected override Decision<ResolutionState> Decide(EntityRef self, ResolutionState? state, ResolutionCommand command, DecideContext context) =>
        ResolutionRules.Decide(self, state, command, context);

    protected override string? DistrictOf(ResolutionState state) => state.District;

    /// <summary>
    /// What the rules cannot see from this beslut alone: a correction must point at a beslut that
    /// exists, and the picture it was taken on must be one the picture has reached.
    /// </summary>
    protected override async Task<Refusal?> CheckReferencesAsync(ResolutionCommand command)
    {
        if (command is not RecordResolution record)
            return null;
        if (record.Basis?.PictureSeq is { } seq && await PictureSeqAsync() is var pictureSeq && seq > pictureSeq)
            return Invalid("basis.pictureSeq", $"Lägesbilden har bara nått nummer {pictureSeq}; ett beslut kan inte bygga på nummer {seq}.");
        if (record.Corrects is { } corrects && EntityRef.IsValidId(corrects) &&
            await GrainFactory.GetGrain<IResolutionGrain>(EntityKey.Of(Picture, corrects)).Record() is null)
            return Invalid("corrects", $"Beslutet {corrects} finns inte i beslutsloggen.");
        return null;
    }

    private static Refusal Invalid(string field, string message) => Refusal.Invalid(new Dictionary<string, string[]> { [field] = [message] });
}
