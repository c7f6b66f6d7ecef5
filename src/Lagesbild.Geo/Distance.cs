namespace Lagesbild.Geo;

/// <summary>How far apart two places are on the ground.</summary>
public static class Distance
{
    /// <summary>The mean radius of the earth (IUGG), which is close enough within a city.</summary>
    private const double EarthRadiusMetres = 6_371_008.8;

    /// <summary>Great-circle distance in metres between two WGS 84 positions (haversine formula).</summary>
    public static double Metres(double lon1, double lat1, double lon2, double lat2)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(lat2 - lat1);
        var dLon = Radians(lon2 - lon1);
        var a = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}
