using System.Text.Json;

namespace Lagesbild.Grains.Picture;

/// <summary>Checks a stored loggbok entry against the parts of a query its index did not answer.</summary>
internal static class LogEntryFilter
{
    public static bool Matches(string entry, LogQuery query)
    {
        using var document = JsonDocument.Parse(entry);
        var root = document.RootElement;
        if (query.District is { } district &&
            (!root.TryGetProperty("district", out var d) || d.ValueKind != JsonValueKind.String || d.GetString() != district))
            return false;
        if (query.From is not null || query.To is not null)
        {
            var at = root.GetProperty("at").GetDateTimeOffset();
            if (at < query.From || at > query.To)
                return false;
        }
        return true;
    }
}
