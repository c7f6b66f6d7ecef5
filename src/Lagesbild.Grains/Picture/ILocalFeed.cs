namespace Lagesbild.Grains.Picture;

/// <summary>
/// This node's live pictures, as the grain that stored an entry sees them: the entry is handed
/// over at once instead of after the store's pub/sub round trip (issue 21 item 3). Pub/sub still
/// announces it to every node, this one included, which then finds it applied already: a picture
/// applies entries strictly by sequence number and each one once.
/// </summary>
public interface ILocalFeed
{
    /// <summary>An entry of <paramref name="picture"/> is on disk. Must return at once; never throws.</summary>
    void Stored(string picture, string entry);
}
