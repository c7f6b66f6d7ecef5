namespace Lagesbild.Server.Live;

/// <summary>
/// The connections watching one picture. Changed only under the picture's lock; read without
/// one by the delivery turns and the stuck-write sweep, which take <see cref="Current"/> and
/// walk it. A join appends to the array in place (a reader's view ends where it was taken) and a
/// leave empties its slot in place (a reader skips it, as it would have missed the connection a
/// moment later anyway); the array is copied only when it is full or mostly empty. Copying the
/// whole list at every join, as before, made a burst of 10,000 joins allocate ~400 MB that the
/// collector then kept resident as fragmentation (BENCHMARKS.md, H43).
/// </summary>
internal sealed class Watchers
{
    private View _view = new([], 0, 0);

    /// <summary>The slots <c>[0, Used)</c> of <c>Slots</c>; an empty slot is a connection that left.</summary>
    public sealed record View(ClientFeed?[] Slots, int Used, int Count);

    public View Current => Volatile.Read(ref _view);

    /// <summary>Under the picture's lock.</summary>
    public void Add(ClientFeed client)
    {
        var view = _view;
        var slots = view.Slots;
        var used = view.Used;
        if (used == slots.Length)
        {
            slots = Compact(view, Math.Max(4, view.Count * 2));
            used = view.Count;
        }
        slots[used] = client;
        client.WatcherSlot = used;
        Volatile.Write(ref _view, new View(slots, used + 1, view.Count + 1));
    }

    /// <summary>Under the picture's lock. False when the connection was not watching.</summary>
    public bool Remove(ClientFeed client)
    {
        var view = _view;
        var slot = client.WatcherSlot;
        if (slot < 0 || slot >= view.Used || !ReferenceEquals(view.Slots[slot], client))
            return false;
        view.Slots[slot] = null;
        client.WatcherSlot = -1;
        var count = view.Count - 1;
        Volatile.Write(ref _view, count < view.Used / 4 && view.Used > 16
            ? new View(Compact(view, count * 2), count, count)
            : new View(view.Slots, view.Used, count));
        return true;
    }

    private static ClientFeed?[] Compact(View view, int capacity)
    {
        var slots = new ClientFeed?[capacity];
        var at = 0;
        for (var i = 0; i < view.Used; i++)
        {
            if (view.Slots[i] is { } client)
            {
                client.WatcherSlot = at;
                slots[at++] = client;
            }
        }
        return slots;
    }
}
