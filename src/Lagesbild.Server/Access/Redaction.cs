using System.Text;
using System.Text.Json.Nodes;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Server.Access;

/// <summary>Who reads a loggbok entry, for what must be left out of it.</summary>
public enum Readership
{
    /// <summary>Exercise control and evaluators (and Lagesbild itself): the whole entry.</summary>
    Everything,
    /// <summary>The city's own desks: everything but an exercise's evaluation.</summary>
    Participant,
    /// <summary>Partners: neither internal notes nor an exercise's evaluation.</summary>
    Partner,
}

/// <summary>
/// Leaves out of a loggbok entry what its reader may not see: a reason the city marked internal
/// (partners), and what an exercise's evaluation recorded (everyone but exercise control and the
/// evaluators: its change, where an observation's, a rating's or an improvement item's text is).
/// This is the one redaction, and it is enough because those texts live nowhere else: the rules
/// keep a reason in an entity's state only when it is not internal (<see cref="Command.PublicReason"/>),
/// and an evaluation's state only counts, so snapshots, records and states need none. Every entry a
/// reader gets, live (<see cref="Live.LiveEntry.MessageFor"/>), resumed (PictureFeed's runs) or read
/// from the loggbok (/log, replay, exports), passes through here.
/// </summary>
public static class Redaction
{
    private static readonly byte[] InternalMark = Encoding.UTF8.GetBytes("\"internal\":true");
    private static readonly byte[] EvaluationMark = Encoding.UTF8.GetBytes($"\"entity\":{{\"kind\":\"{nameof(EntityKind.Evaluation)}\"");

    public static Readership ReadershipOf(string role) =>
        Roles.SeesEvaluation(role) ? Readership.Everything : Roles.SeesInternalNotes(role) ? Readership.Participant : Readership.Partner;

    public static bool IsInternal(ReadOnlySpan<byte> entry) => entry.IndexOf(InternalMark) >= 0;

    public static bool IsEvaluation(ReadOnlySpan<byte> entry) => entry.IndexOf(EvaluationMark) >= 0;

    /// <summary>Whether anything would be left out of the entry for some reader.</summary>
    public static bool NeedsRedaction(ReadOnlySpan<byte> entry) => IsInternal(entry) || IsEvaluation(entry);

    public static string ForObservers(string entry) => For(Readership.Partner, entry);

    public static string For(Readership readership, string entry)
    {
        if (readership == Readership.Everything)
            return entry;
        var utf8 = Encoding.UTF8.GetBytes(entry);
        var evaluation = IsEvaluation(utf8);
        var internalNote = readership == Readership.Partner && IsInternal(utf8);
        if (!evaluation && !internalNote)
            return entry;
        var node = JsonNode.Parse(entry)!.AsObject();
        node["reason"] = null;
        if (evaluation)
            node["change"] = null;
        return node.ToJsonString(DomainJson.Options);
    }
}
