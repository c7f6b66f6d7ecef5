using Lagesbild.Maps;
using NetTopologySuite.Geometries;

namespace Lagesbild.Geo.Tests;

[Collection(DerivedMapsCollection.Name)]
public sealed class DerivedAreasTests(DerivedMapsFixture fixture)
{
    // Stadsdelar whose interior point lands in a neighbouring area after simplification. None today;
    // a tolerance change that adds some must list them here, visibly.
    private static readonly string[] KnownMisses = [];

    [Fact]
    public void There_are_the_eleven_stadsdelsomraden_with_their_names_from_the_csv()
    {
        string[] expectedIds =
        [
            "bromma", "enskede-arsta-vantor", "farsta", "hagersten-alvsjo", "hasselby-vallingby", "jarva",
            "kungsholmen", "norra-innerstaden", "skarholmen", "skarpnack", "sodermalm",
        ];

        Assert.Equal(expectedIds, fixture.Maps.Districts.Select(d => d.Id));
        Assert.Equal(
            fixture.Source.DistrictByStadsdel.Values.Distinct().Order(StringComparer.Ordinal),
            fixture.Maps.Districts.Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Enskede-Årsta-Vantör", fixture.Areas.Name("enskede-arsta-vantor"));
        Assert.Equal("Norra innerstaden", fixture.Areas.Name("norra-innerstaden"));
    }

    [Fact]
    public void Every_area_and_the_water_are_valid_nonempty_multipolygons()
    {
        Assert.All(fixture.Maps.Districts, d => Assert.True(d.Geometry.IsValid && !d.Geometry.IsEmpty, d.Id));
        Assert.True(fixture.Maps.Water.IsValid && !fixture.Maps.Water.IsEmpty);
    }

    [Fact]
    public void Every_stadsdel_falls_in_its_stadsdelsomrade()
    {
        var misses = new List<string>();
        foreach (var stadsdel in fixture.Source.Stadsdelar)
        {
            var name = (string)stadsdel.Attributes["name"];
            var expected = AreaBuilder.IdFor(fixture.Source.DistrictByStadsdel[name]);
            var inside = stadsdel.Geometry.InteriorPoint;
            var actual = fixture.Areas.FindDistrict(inside.X, inside.Y);
            if (actual != expected)
            {
                misses.Add($"{name}: {actual ?? "none"} instead of {expected}");
            }
        }

        Assert.Equal(117, fixture.Source.Stadsdelar.Count);
        Assert.Equal(KnownMisses, misses);
    }

    [Fact]
    public void The_committed_map_files_are_what_the_builder_derives_now()
    {
        Assert.Equal(fixture.Maps.DistrictsGeoJson, File.ReadAllText(Path.Combine(Repository.Maps, DerivedMaps.DistrictsFile)));
        Assert.Equal(fixture.Maps.WaterGeoJson, File.ReadAllText(Path.Combine(Repository.Maps, DerivedMaps.WaterFile)));
    }

    [Fact]
    public void Deriving_again_gives_byte_identical_files()
    {
        var again = DerivedMaps.Derive(SourceData.Load(Repository.SharedData), new AreaBuilder());

        Assert.Equal(fixture.Maps.DistrictsGeoJson, again.DistrictsGeoJson);
        Assert.Equal(fixture.Maps.WaterGeoJson, again.WaterGeoJson);
    }

    [Fact]
    public void Coordinates_are_written_lon_lat_with_at_most_six_decimals()
    {
        Assert.DoesNotMatch(@"\d\.\d{7}", fixture.Maps.DistrictsGeoJson);
        Assert.DoesNotMatch(@"\d\.\d{7}", fixture.Maps.WaterGeoJson);
        var first = fixture.Maps.Districts[0].Geometry.Coordinates[0];
        Assert.InRange(first.X, 17.7, 18.3);
        Assert.InRange(first.Y, 59.2, 59.5);
    }

    [Fact]
    public void Both_files_together_stay_well_under_150_kilobytes()
    {
        var bytes = System.Text.Encoding.UTF8.GetByteCount(fixture.Maps.DistrictsGeoJson + fixture.Maps.WaterGeoJson);
        Assert.InRange(bytes, 1, 120_000);
    }

    [Fact]
    public void A_stadsdel_missing_from_the_mapping_is_refused_by_name()
    {
        var mapping = fixture.Source.DistrictByStadsdel
            .Where(pair => pair.Key != "GAMLA STAN")
            .ToDictionary(pair => pair.Key, pair => pair.Value);

        var error = Assert.Throws<InvalidDataException>(() => new AreaBuilder().BuildDistricts(fixture.Source.Stadsdelar, mapping));
        Assert.Contains("GAMLA STAN", error.Message);
    }

    [Theory]
    [InlineData("Enskede-Årsta-Vantör", "enskede-arsta-vantor")]
    [InlineData("Hägersten-Älvsjö", "hagersten-alvsjo")]
    [InlineData("Norra innerstaden", "norra-innerstaden")]
    [InlineData("Skärholmen", "skarholmen")]
    [InlineData("Järva", "jarva")]
    public void District_ids_are_ascii_slugs_of_the_swedish_names(string name, string id) =>
        Assert.Equal(id, AreaBuilder.IdFor(name));
}
