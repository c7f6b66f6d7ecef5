using System.Text;
using System.Text.Json.Nodes;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Server.Access;

/// <summary>
/// Leaves out of a loggbok entry what partners may not see: a reason the city marked internal.
/// This is the one redaction, and it is enough because an internal note lives nowhere else: the
/// rules keep a reason in an entity's state only when it is not internal
/// (<see cref="Command.PublicReason"/>), so snapshots, records and states need none. Every
/// entry a partner gets, live (LiveEntry.ObserverMessage), resumed (PictureFeed's runs) or
/// read from the loggbok (/log), passes through here.
/// </summary>
public static class Redaction
{
    private static readonly byte[] InternalMark = Encoding.UTF8.GetBytes("\"internal\":true");

    public static bool IsInternal(ReadOnlySpan<byte> entry) => entry.IndexOf(InternalMark) >= 0;

    public static string ForObservers(string entry)
    {
        if (!IsInternal(Encoding.UTF8.GetBytes(entry)))
            return entry;
        var node = JsonNode.Parse(entry)!.AsObject();
        node["reason"] = null;
        return node.ToJsonString(DomainJson.Options);
    }
}
