using Lagesbild.Grains.Picture;
using Lagesbild.Server.Live;

namespace Lagesbild.Server.Replay;

/// <summary>
/// Any picture as it was at any sequence number: the nearest checkpoint at or below it, then
/// the entries after it, at most <see cref="Interval"/> - 1 of them. Checkpoints are built from
/// the loggbok off the append's path (<see cref="ReplayCheckpointer"/> after appends, an import
/// while it checks the file, or here on first need), never by the append itself.
/// </summary>
public sealed class PictureReplay(PictureStore store, ReplayStore replays)
{
    /// <summary>Entries between two checkpoints: a jump folds at most this many.</summary>
    public const int Interval = 1000;

    /// <summary>The picture at <paramref name="seq"/>, which must be at most the picture's current sequence number.</summary>
    public async Task<FoldedPicture> AtAsync(PictureKeys keys, long seq)
    {
        var from = seq / Interval * Interval;
        var folded = from == 0 ? new FoldedPicture() : await CheckpointAsync(keys, from);
        if (seq > from)
        {
            foreach (var entry in await ReadAsync(keys, from, seq))
                folded.Apply(entry);
        }
        else if (seq > 0)
        {
            folded.StandAt(LiveEntry.Parse(await store.ReadEntryAsync(keys, seq) ?? throw Missing(keys, seq)));
        }
        return folded;
    }

    /// <summary>Builds the checkpoints up to <paramref name="seq"/> that are not there yet.</summary>
    public async Task EnsureCheckpointsAsync(PictureKeys keys, long seq)
    {
        if (seq >= Interval)
            await CheckpointAsync(keys, seq / Interval * Interval);
    }

    private async Task<FoldedPicture> CheckpointAsync(PictureKeys keys, long at)
    {
        if (await replays.ReadCheckpointAsync(keys, at) is { } stored)
            return FoldedPicture.FromCheckpoint(stored, at);
        var below = (await replays.CheckpointSeqsAsync(keys)).Where(s => s < at).DefaultIfEmpty(0).Max();
        var folded = below == 0 ? new FoldedPicture() : FoldedPicture.FromCheckpoint((await replays.ReadCheckpointAsync(keys, below))!, below);
        for (var next = below + Interval; next <= at; next += Interval)
        {
            foreach (var entry in await ReadAsync(keys, next - Interval, next))
                folded.Apply(entry);
            await replays.WriteCheckpointAsync(keys, next, folded.ToCheckpoint());
        }
        return folded;
    }

    private async Task<IEnumerable<LiveEntry>> ReadAsync(PictureKeys keys, long after, long through)
    {
        var entries = await store.ReadEntriesWithGapsAsync(keys, after, through);
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i] is null)
                throw Missing(keys, after + 1 + i);
        }
        return entries.Select(e => LiveEntry.Parse(e!));
    }

    // A loggbok with a hole cannot be replayed past it; /loggbok/verify names it too.
    private static InvalidOperationException Missing(PictureKeys keys, long seq) =>
        new($"Entry {seq} of {keys.Picture} is missing from the loggbok.");
}
