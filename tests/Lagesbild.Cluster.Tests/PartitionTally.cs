using System.Collections.Concurrent;

namespace Lagesbild.Cluster.Tests;

/// <summary>What the writers of a partition run were told, counted across writers.</summary>
public sealed class PartitionTally
{
    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private readonly ConcurrentDictionary<string, (TimeSpan Waited, string Trail)> _longest = new();
    private readonly ConcurrentDictionary<string, (TimeSpan Waited, string Trail)> _longestThroughB = new();
    private int _sent;
    private int _noAnswer;

    /// <summary>The partition under way, for the figures: a change is counted under the phase it was first sent in.</summary>
    public volatile string Phase = "before";

    public ConcurrentBag<(Guid Command, long Seq, string EventId)> Acknowledged { get; } = [];

    /// <summary>
    /// Per phase, the longest time from a change's first send to its acknowledgement, counted
    /// under the phase it was sent in and the phase it was acknowledged in (a change sent just
    /// before a partition waits because of it), with the answers it got on the way: where the
    /// time went.
    /// </summary>
    public IReadOnlyDictionary<string, (TimeSpan Waited, string Trail)> LongestUnwritable => _longest;

    /// <summary>
    /// Per phase, the longest time from a change's first try through node B to B's
    /// acknowledgement: while A is cut off from the store, B is the healthy node, and this is
    /// issue 22's "unwritable through a healthy node" (a wait on A before trying B is not).
    /// </summary>
    public IReadOnlyDictionary<string, (TimeSpan Waited, string Trail)> LongestUnwritableThroughB => _longestThroughB;

    public int Sent => _sent;
    public int NoAnswer => _noAnswer;

    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountNoAnswer() => Interlocked.Increment(ref _noAnswer);

    public void CountStatus(int status) => _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);

    public int CountOf(int status) => _statuses.GetValueOrDefault(status);

    public int Count5xx => _statuses.Where(s => s.Key >= 500).Sum(s => s.Value);

    /// <param name="trail">Each attempt: the node asked, what it answered and after how long.</param>
    public void Acknowledge(Guid command, long seq, string eventId, string phase, TimeSpan waited, string trail)
    {
        Acknowledged.Add((command, seq, eventId));
        foreach (var during in new[] { phase, Phase }.Distinct())
            _longest.AddOrUpdate(during, (waited, trail), (_, longest) => waited > longest.Waited ? (waited, trail) : longest);
    }

    public void WrittenThroughB(string phase, TimeSpan waited, string trail)
    {
        foreach (var during in new[] { phase, Phase }.Distinct())
            _longestThroughB.AddOrUpdate(during, (waited, trail), (_, longest) => waited > longest.Waited ? (waited, trail) : longest);
    }

    public string Describe5xx()
    {
        var failures = _statuses.Where(s => s.Key >= 500).OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}").ToList();
        var others = _statuses.Where(s => s.Key < 500).OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}").ToList();
        return (failures.Count == 0 ? "none" : string.Join(", ", failures)) + (others.Count == 0 ? "" : $" (other refusals: {string.Join(", ", others)})");
    }
}
