namespace Lagesbild.Geo;

/// <summary>Which stadsdelsområde each stadsdel belongs to, read from the city's published lists (CSV).</summary>
public static class StadsdelMapping
{
    public const string Header = "stadsdel,stadsdelsomrade";

    /// <summary>Stadsdel name as spelled in the stadsdelar GeoJSON (upper case) → stadsdelsområde name.</summary>
    public static IReadOnlyDictionary<string, string> Parse(TextReader csv)
    {
        var header = csv.ReadLine();
        if (header?.Trim() != Header)
        {
            throw new InvalidDataException($"Expected the header \"{Header}\", found \"{header}\".");
        }

        var districtByStadsdel = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 1;
        for (var line = csv.ReadLine(); line is not null; line = csv.ReadLine())
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            if (fields.Length != 2 || fields.Any(string.IsNullOrWhiteSpace))
            {
                throw new InvalidDataException($"Line {lineNumber}: expected \"stadsdel,stadsdelsomrade\", found \"{line}\".");
            }

            if (!districtByStadsdel.TryAdd(fields[0].Trim(), fields[1].Trim()))
            {
                throw new InvalidDataException($"Line {lineNumber}: stadsdel \"{fields[0].Trim()}\" is listed twice.");
            }
        }

        return districtByStadsdel;
    }
}
