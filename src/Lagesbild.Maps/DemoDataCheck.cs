using System.Globalization;
using Lagesbild.Geo;

namespace Lagesbild.Maps;

/// <summary>
/// Checks the hand-written configuration and demo data against each other and against the derived
/// district areas, so a typo or a point on the wrong side of a border fails the tool, not the demo.
/// </summary>
public static class DemoDataCheck
{
    public static readonly IReadOnlySet<string> Capabilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "Information", "Charging", "DrinkingWater", "Heat", "Food", "Toilets", "Shower",
        "FirstAid", "CrisisSupport", "Call112", "Rest", "OvernightStay",
    };

    public static readonly IReadOnlySet<string> CrisisBodyKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "Board", "CentralCrisisManagement", "DutyOfficer", "LocalCrisisManagement",
    };

    public const int MinPointsPerDistrict = 2;
    public const int MaxPointsPerDistrict = 4;

    /// <summary>Every problem found, one readable sentence each; empty when the data is consistent.</summary>
    public static IReadOnlyList<string> Check(DemoData data, DistrictAreas areas)
    {
        var problems = new List<string>();
        problems.AddRange(Duplicates("sector", data.Sectors.Select(s => s.Id)));
        problems.AddRange(Duplicates("crisis body", data.CrisisBodies.Select(b => b.Id)));
        problems.AddRange(Duplicates("safety point", data.SafetyPoints.Select(p => p.Id)));
        problems.AddRange(data.CrisisBodies.SelectMany(b => CheckCrisisBody(b, areas)));
        problems.AddRange(data.SafetyPoints.SelectMany(p => CheckSafetyPoint(p, areas)));

        foreach (var district in areas.Ids)
        {
            var count = data.SafetyPoints.Count(p => p.District == district);
            if (count is < MinPointsPerDistrict or > MaxPointsPerDistrict)
            {
                problems.Add($"district {district} has {count} safety points; each district has {MinPointsPerDistrict}–{MaxPointsPerDistrict}.");
            }
        }

        return problems;
    }

    private static IEnumerable<string> CheckCrisisBody(CrisisBodyEntry body, DistrictAreas areas)
    {
        var who = $"crisis body {body.Id}";
        if (!CrisisBodyKinds.Contains(body.Kind))
        {
            yield return $"{who}: unknown kind \"{body.Kind}\"; use one of {string.Join(", ", CrisisBodyKinds)}.";
        }

        var isLocal = body.Kind == "LocalCrisisManagement";
        if (isLocal && (body.District is null || !areas.Ids.Contains(body.District)))
        {
            yield return $"{who}: local crisis management needs a known district, not \"{body.District}\".";
        }
        else if (!isLocal && body.District is not null)
        {
            yield return $"{who}: only local crisis management belongs to a district.";
        }
    }

    private static IEnumerable<string> CheckSafetyPoint(SafetyPointEntry point, DistrictAreas areas)
    {
        var who = $"safety point {point.Id}";
        if (!areas.Ids.Contains(point.District))
        {
            yield return $"{who}: unknown district \"{point.District}\".";
        }
        else if (!areas.Contains(point.District, point.Position.Lon, point.Position.Lat))
        {
            var actual = areas.FindDistrict(point.Position.Lon, point.Position.Lat) ?? "no district";
            yield return string.Create(
                CultureInfo.InvariantCulture,
                $"{who}: position ({point.Position.Lon}, {point.Position.Lat}) lies outside {point.District}'s area, in {actual}.");
        }

        if (point.Tier is < 1 or > 3)
        {
            yield return $"{who}: tier {point.Tier} is not 1–3.";
        }

        if (point.Capacity is < 20 or > 400)
        {
            yield return $"{who}: capacity {point.Capacity} is not 20–400.";
        }

        foreach (var unknown in point.Capabilities.Where(c => !Capabilities.Contains(c)))
        {
            yield return $"{who}: unknown capability \"{unknown}\".";
        }

        foreach (var twice in point.Capabilities.GroupBy(c => c).Where(g => g.Count() > 1))
        {
            yield return $"{who}: capability {twice.Key} is listed twice.";
        }

        // Overnight stay is what the third tier adds (domain.md, Trygghetspunkter).
        var overnight = point.Capabilities.Contains("OvernightStay");
        if (point.Tier == 3 && !overnight)
        {
            yield return $"{who}: a tier 3 point offers OvernightStay.";
        }
        else if (point.Tier != 3 && overnight)
        {
            yield return $"{who}: only tier 3 points offer OvernightStay; this one is tier {point.Tier}.";
        }
    }

    private static IEnumerable<string> Duplicates(string what, IEnumerable<string> ids) =>
        ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => $"{what} id {g.Key} is used {g.Count()} times.");
}
