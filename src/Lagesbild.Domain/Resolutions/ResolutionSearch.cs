using Lagesbild.Domain.Assignments;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Resolutions;

/// <summary>What is asked of the beslutslogg and the uppdrag: words in the title, who, which district, and a time range, one page at a time.</summary>
/// <param name="Who">A decider (beslutsfattare), or an uppdrag's sender or receiver (their name or the desk's id).</param>
public sealed record ResolutionQuery(string? Text, string? Who, string? District, DateTimeOffset? From, DateTimeOffset? To, int Offset = 0, int Limit = ResolutionSearch.DefaultLimit);

/// <summary>One beslut or uppdrag found: what a list shows; its full text is in its loggbok entry.</summary>
/// <param name="Kind"><c>Resolution</c> or <c>Assignment</c>.</param>
/// <param name="At">When it was decided or sent.</param>
/// <param name="Who">Who decided it, or who sent it.</param>
/// <param name="To">An uppdrag's receiver (its desk's id or the person's name).</param>
/// <param name="Status">A beslut's kind (Decision, Correction, Revocation) or an uppdrag's status.</param>
public sealed record ResolutionHit(string Kind, string Id, string Title, DateTimeOffset At, string Who, string? To, string? District, string Status, long Seq);

/// <summary>One page of hits, newest first, and how many there are in all.</summary>
public sealed record ResolutionHits(long Seq, int Total, int Offset, IReadOnlyList<ResolutionHit> Hits);

/// <summary>
/// Searches the beslutslogg and the uppdrag as the picture holds them now (states, in memory):
/// the titles, who and where they are for; a pure function, so each filter is tested without a server.
/// </summary>
public static class ResolutionSearch
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;
    public const int TextLimit = 200;

    /// <summary>What is wrong with a query, field by field, in the user's words; null when it can be answered.</summary>
    public static Refusal? Check(ResolutionQuery query, IAreas areas)
    {
        var problems = new Problems();
        problems.Text("text", query.Text, TextLimit);
        problems.Text("who", query.Who, TextLimit);
        if (query.District is not null && !(EntityRef.IsValidId(query.District) && areas.DistrictExists(query.District)))
            problems.Add("district", $"Stadsdelsområdet '{query.District}' finns inte.");
        if (query.From > query.To)
            problems.Add("from", "Måste ligga före to (tidsintervallets slut).");
        if (query.Offset < 0)
            problems.Add("offset", "Får inte vara negativt.");
        problems.Range("limit", query.Limit, 1, MaxLimit);
        return problems.ToRefusal();
    }

    /// <summary>The state of one searchable thing and the loggbok entry that last changed it.</summary>
    public static ResolutionHit? HitOf(EntityRef entity, long seq, object state) => state switch
    {
        ResolutionState r => new ResolutionHit(nameof(EntityKind.Resolution), entity.Id, r.Name, r.DecidedAt, r.DecidedBy, null, r.District, r.ResolutionKind.ToString(), seq),
        AssignmentState a => new ResolutionHit(nameof(EntityKind.Assignment), entity.Id, a.Name, a.SentAt, a.SentBy.Name, a.To.Id, a.District, a.Status.ToString(), seq),
        _ => null,
    };

    /// <summary>The hits of a checked query among <paramref name="all"/>, newest first.</summary>
    public static ResolutionHits Find(long seq, IReadOnlyList<ResolutionHit> all, ResolutionQuery query)
    {
        var text = Words(query.Text);
        var who = Words(query.Who);
        var found = all.Where(hit =>
                (query.District is null || hit.District == query.District)
                && (query.From is null || hit.At >= query.From)
                && (query.To is null || hit.At <= query.To)
                && text.All(word => Contains(hit.Title, word))
                && who.All(word => Contains(hit.Who, word) || Contains(hit.To, word)))
            .OrderByDescending(hit => hit.At).ThenByDescending(hit => hit.Seq)
            .ToList();
        return new ResolutionHits(seq, found.Count, query.Offset, found.Skip(query.Offset).Take(query.Limit).ToArray());
    }

    private static string[] Words(string? text) => text?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) ?? [];

    // Case is ignored (Å and å too, by invariant case folding), and the server's culture plays no part.
    private static bool Contains(string? text, string word) => text is not null && text.Contains(word, StringComparison.OrdinalIgnoreCase);
}
