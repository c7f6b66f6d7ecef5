using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// A demo user of the development sign-in and, for the matrix, what is theirs and what is
/// someone else's: a district, a sector and a crisis body on each side. Roles with no
/// district, sector or body of their own get Farsta, energiförsörjning and a local body as
/// "own" and Södermalm, transporter and another body as "other".
/// </summary>
public sealed record DemoUser(
    string Id, string Role,
    string HomeDistrict, string AwayDistrict,
    string HomeSector, string AwaySector,
    string HomeBody, string AwayBody)
{
    public static readonly IReadOnlyList<DemoUser> All =
    [
        new("anna", "central", "farsta", "sodermalm", "energiforsorjning", "transporter", "central-krisledning", "lokal-sodermalm"),
        new("per", "tib", "farsta", "sodermalm", "energiforsorjning", "transporter", "tib", "krisledningsnamnden"),
        new("sara", "district", "farsta", "sodermalm", "energiforsorjning", "transporter", "lokal-farsta", "lokal-sodermalm"),
        new("omar", "district", "sodermalm", "farsta", "energiforsorjning", "transporter", "lokal-sodermalm", "lokal-farsta"),
        new("lena", "sector", "farsta", "sodermalm", "energiforsorjning", "transporter", "lokal-farsta", "lokal-sodermalm"),
        new("polis", "observer", "farsta", "sodermalm", "energiforsorjning", "transporter", "lokal-farsta", "lokal-sodermalm"),
        new("allmanhet", "public", "farsta", "sodermalm", "energiforsorjning", "transporter", "lokal-farsta", "lokal-sodermalm"),
        new("eva", "chair", "farsta", "sodermalm", "energiforsorjning", "transporter", "krisledningsnamnden", "lokal-sodermalm"),
        new("utvarderare", "evaluator", "farsta", "sodermalm", "energiforsorjning", "transporter", "lokal-farsta", "lokal-sodermalm"),
    ];

    public static DemoUser Get(string id) => All.Single(u => u.Id == id);
}

/// <summary>The demo trygghetspunkter (maps/demo/safety-points.json): their ids, districts and positions.</summary>
public static class DemoPoints
{
    public sealed record Point(string Id, string District, double Lon, double Lat);

    public static IReadOnlyList<Point> All { get; } = Load();

    /// <summary>The first demo point of a district.</summary>
    public static Point In(string district) => All.First(p => p.District == district);

    private static Point[] Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "maps", "demo", "safety-points.json")));
        return document.RootElement.GetProperty("safetyPoints").EnumerateArray()
            .Select(p => new Point(
                p.GetProperty("id").GetString()!,
                p.GetProperty("district").GetString()!,
                p.GetProperty("position").GetProperty("lon").GetDouble(),
                p.GetProperty("position").GetProperty("lat").GetDouble()))
            .ToArray();
    }
}

/// <summary>Stockholm's office hours as the city states them: Monday to Friday except holidays, 08–17 local time.</summary>
public static class OfficeHours
{
    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    public static DateTimeOffset LocalNow => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Stockholm);

    public static bool IsOpen(DateTimeOffset moment)
    {
        var local = TimeZoneInfo.ConvertTime(moment, Stockholm);
        // The holiday calendar itself is proven by the domain's own tests against the almanac.
        return local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Lagesbild.Domain.Picture.SwedishHolidays.IsHoliday(DateOnly.FromDateTime(local.DateTime))
            && local.Hour >= 8 && local.Hour < 17;
    }
}
