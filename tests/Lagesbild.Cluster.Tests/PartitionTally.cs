using System.Collections.Concurrent;

namespace Lagesbild.Cluster.Tests;

/// <summary>What the writers of a partition run were told, counted across writers.</summary>
public sealed class PartitionTally
{
    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private int _sent;
    private int _noAnswer;

    /// <summary>The partition under way, for the figures: a change is counted under the phase it was first sent in.</summary>
    public volatile string Phase = "before";

    public ConcurrentBag<(Guid Command, long Seq, string EventId)> Acknowledged { get; } = [];

    /// <summary>
    /// Per phase, the longest time from a change's first send to its acknowledgement, counted
    /// under the phase it was sent in and the phase it was acknowledged in (a change sent just
    /// before a partition waits because of it).
    /// </summary>
    public ConcurrentDictionary<string, TimeSpan> LongestUnwritable { get; } = new();

    public int Sent => _sent;
    public int NoAnswer => _noAnswer;

    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountNoAnswer() => Interlocked.Increment(ref _noAnswer);

    public void CountStatus(int status) => _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);

    public int CountOf(int status) => _statuses.GetValueOrDefault(status);

    public void Acknowledge(Guid command, long seq, string eventId, string phase, TimeSpan waited)
    {
        Acknowledged.Add((command, seq, eventId));
        foreach (var during in new[] { phase, Phase }.Distinct())
            LongestUnwritable.AddOrUpdate(during, waited, (_, longest) => waited > longest ? waited : longest);
    }

    public string Describe5xx()
    {
        var failures = _statuses.Where(s => s.Key >= 500).OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}").ToList();
        var others = _statuses.Where(s => s.Key < 500).OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value}").ToList();
        return (failures.Count == 0 ? "none" : string.Join(", ", failures)) + (others.Count == 0 ? "" : $" (other refusals: {string.Join(", ", others)})");
    }
}
