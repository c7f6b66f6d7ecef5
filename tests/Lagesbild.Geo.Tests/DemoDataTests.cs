using Lagesbild.Maps;

namespace Lagesbild.Geo.Tests;

/// <summary>The hand-written configuration and demo data, against the committed district areas.</summary>
public sealed class DemoDataTests
{
    private static readonly DemoData Demo = DemoData.Load(Repository.Maps);
    private static readonly DistrictAreas Areas = DistrictAreas.Load(Path.Combine(Repository.Maps, DerivedMaps.DistrictsFile));

    [Fact]
    public void Every_demo_safety_point_lies_in_its_district() =>
        Assert.All(Demo.SafetyPoints, p => Assert.True(Areas.Contains(p.District, p.Position.Lon, p.Position.Lat), p.Id));

    [Fact]
    public void The_committed_demo_data_passes_the_tool_check() =>
        Assert.Empty(DemoDataCheck.Check(Demo, Areas));

    [Fact]
    public void A_point_placed_in_the_wrong_district_is_reported()
    {
        var farsta = Demo.SafetyPoints.First(p => p.District == "farsta");
        var inKista = farsta with { Position = new LonLat(17.9445, 59.4033) };
        var data = Demo with { SafetyPoints = [.. Demo.SafetyPoints.Select(p => p == farsta ? inKista : p)] };

        var problem = Assert.Single(DemoDataCheck.Check(data, Areas));
        Assert.Contains(farsta.Id, problem);
        Assert.Contains("in jarva", problem);
    }

    [Fact]
    public void Every_point_is_either_from_the_press_or_marked_as_an_invented_example()
    {
        Assert.All(Demo.SafetyPoints, p =>
            Assert.Equal(p.Example ? "example (invented)" : "press (per domain.md)", p.Source));
        Assert.Equal(
            ["farsta", "farsta", "skarholmen", "skarholmen", "sodermalm", "sodermalm", "sodermalm", "sodermalm"],
            Demo.SafetyPoints.Where(p => !p.Example).Select(p => p.District).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_crisis_organisation_has_the_board_central_management_duty_officer_and_one_local_body_per_district()
    {
        Assert.Equal(["central-krisledning", "krisledningsnamnden", "tib"],
            Demo.CrisisBodies.Where(b => b.District is null).Select(b => b.Id).Order(StringComparer.Ordinal));
        Assert.Equal(Areas.Ids,
            Demo.CrisisBodies.Where(b => b.District is not null).Select(b => b.District!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void There_are_the_ten_national_beredskapssektorer() =>
        Assert.Equal(10, Demo.Sectors.Select(s => s.Id).Distinct().Count());
}
