using System.Collections.Concurrent;
using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;

namespace Lagesbild.Server.Api;

/// <summary>
/// Which pictures exist (the live one, and every exercise that was created). A picture is
/// never deleted, so once seen it is remembered on this node and costs no store round trip.
/// </summary>
public sealed class PictureDirectory(PictureStore store)
{
    private readonly ConcurrentDictionary<string, bool> _known = new(StringComparer.Ordinal);

    public async Task<bool> ExistsAsync(string? picture)
    {
        if (!PictureId.IsValid(picture))
            return false;
        if (_known.ContainsKey(picture!))
            return true;
        if (!await store.IsSeededAsync(new PictureKeys(picture!)))
            return false;
        _known[picture!] = true;
        return true;
    }

    public static Refusal Missing(string picture) => new(RefusalKind.NotFound, $"Lägesbilden '{picture}' finns inte.");
}
