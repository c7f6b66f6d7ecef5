namespace Lagesbild.Geo.Tests;

/// <summary>The distance a resident is told to the nearest trygghetspunkt.</summary>
public sealed class DistanceTests
{
    [Fact]
    public void One_degree_of_latitude_is_a_360th_of_the_earths_mean_circumference() =>
        Assert.Equal(2 * Math.PI * 6_371_008.8 / 360, Distance.Metres(18.0, 59.0, 18.0, 60.0), precision: 3);

    [Fact]
    public void A_degree_of_longitude_at_stockholm_is_shorter_by_the_cosine_of_the_latitude()
    {
        // Along a parallel over a short step the great circle and the parallel agree to well under a metre.
        var expected = 2 * Math.PI * 6_371_008.8 / 360 * Math.Cos(59.33 * Math.PI / 180) / 100;
        Assert.InRange(Distance.Metres(18.00, 59.33, 18.01, 59.33), expected - 0.5, expected + 0.5);
    }

    [Fact]
    public void The_distance_is_the_same_both_ways_and_zero_to_the_same_place()
    {
        Assert.Equal(Distance.Metres(18.07, 59.33, 18.10, 59.24), Distance.Metres(18.10, 59.24, 18.07, 59.33), precision: 6);
        Assert.Equal(0, Distance.Metres(18.07, 59.33, 18.07, 59.33));
    }
}
