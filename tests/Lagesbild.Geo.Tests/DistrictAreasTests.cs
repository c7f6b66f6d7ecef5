using Lagesbild.Maps;

namespace Lagesbild.Geo.Tests;

/// <summary>Reads the committed maps/districts.geojson, as the server will.</summary>
public sealed class DistrictAreasTests
{
    private static readonly DistrictAreas Areas = DistrictAreas.Load(Path.Combine(Repository.Maps, DerivedMaps.DistrictsFile));

    [Fact]
    public void A_point_in_Uppsala_is_in_no_district() =>
        Assert.Null(Areas.FindDistrict(17.6389, 59.8586));

    [Fact]
    public void Gamla_stan_lies_in_Sodermalms_area() =>
        Assert.Equal("sodermalm", Areas.FindDistrict(18.0710, 59.3251));

    [Fact]
    public void Kista_lies_in_Jarva_and_not_in_Bromma()
    {
        Assert.True(Areas.Contains("jarva", 17.9445, 59.4033));
        Assert.False(Areas.Contains("bromma", 17.9445, 59.4033));
    }

    [Fact]
    public void The_file_holds_the_eleven_areas_with_swedish_names()
    {
        Assert.Equal(11, Areas.Ids.Count);
        Assert.Equal("Hässelby-Vällingby", Areas.Name("hasselby-vallingby"));
    }

    [Fact]
    public void Asking_for_an_unknown_district_is_an_error_not_a_no() =>
        Assert.Throws<KeyNotFoundException>(() => Areas.Contains("ostermalm", 18.08, 59.34));
}
