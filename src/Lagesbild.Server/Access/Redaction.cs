using System.Text;
using System.Text.Json.Nodes;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Server.Access;

/// <summary>Leaves out of a loggbok entry what partners may not see: a reason the city marked internal.</summary>
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
