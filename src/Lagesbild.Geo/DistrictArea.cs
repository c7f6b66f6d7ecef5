using NetTopologySuite.Geometries;

namespace Lagesbild.Geo;

/// <summary>A stadsdelsområde's area as drawn on the map: slug id, Swedish name, WGS 84 lon/lat outline.</summary>
public sealed record DistrictArea(string Id, string Name, MultiPolygon Geometry);
