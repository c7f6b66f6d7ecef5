using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.Tests;

/// <summary>
/// Two districts drawn as boxes, standing in for the city's real areas so the rules can be
/// tested without the map: Farsta around Farsta centrum, Södermalm around Medborgarplatsen.
/// </summary>
internal sealed class FakeAreas : IAreas
{
    public static readonly FakeAreas Stockholm = new();

    private readonly Dictionary<string, (double West, double South, double East, double North)> _boxes = new()
    {
        ["farsta"] = (18.05, 59.22, 18.15, 59.27),
        ["sodermalm"] = (18.02, 59.30, 18.11, 59.33),
    };

    public bool DistrictExists(string districtId) => _boxes.ContainsKey(districtId);

    public bool Contains(string districtId, double lon, double lat) =>
        _boxes.TryGetValue(districtId, out var box) && lon >= box.West && lon <= box.East && lat >= box.South && lat <= box.North;
}
