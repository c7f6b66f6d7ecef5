using System.Text.Json;
using Lagesbild.Geo;
using Lagesbild.Maps;

// Derives maps/districts.geojson and maps/water.geojson from the city's open data, checks the
// hand-written demo data against the derived areas, and records how in maps/PROVENANCE.md.
try
{
    var options = MapsOptions.Parse(args, Environment.CurrentDirectory);
    var source = SourceData.Load(options.DataDirectory);
    var builder = new AreaBuilder();
    var maps = DerivedMaps.Derive(source, builder);
    maps.WriteTo(options.OutDirectory);

    var demo = DemoData.Load(options.OutDirectory);
    var problems = DemoDataCheck.Check(demo, new DistrictAreas(maps.Districts));
    File.WriteAllText(Path.Combine(options.OutDirectory, Provenance.File), Provenance.Render(source, builder, maps, demo));

    Console.WriteLine(maps.Summary());
    Console.WriteLine($"wrote {DerivedMaps.DistrictsFile}, {DerivedMaps.WaterFile} and {Provenance.File} to {options.OutDirectory}");
    if (problems.Count > 0)
    {
        Console.Error.WriteLine($"The demo data has {problems.Count} problem(s):");
        foreach (var problem in problems)
        {
            Console.Error.WriteLine($"  - {problem}");
        }

        return 1;
    }

    Console.WriteLine($"demo data OK: {demo.SafetyPoints.Count} safety points, {demo.CrisisBodies.Count} crisis bodies, {demo.Sectors.Count} sectors");
    return 0;
}
catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or JsonException or KeyNotFoundException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
