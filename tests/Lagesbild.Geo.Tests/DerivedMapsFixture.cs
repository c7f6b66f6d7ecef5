using Lagesbild.Maps;

namespace Lagesbild.Geo.Tests;

/// <summary>Derives the map layers once for all tests: the union and simplification take a second or two.</summary>
public sealed class DerivedMapsFixture
{
    public DerivedMapsFixture()
    {
        Source = SourceData.Load(Repository.SharedData);
        Maps = DerivedMaps.Derive(Source, new AreaBuilder());
        Areas = new DistrictAreas(Maps.Districts);
    }

    public SourceData Source { get; }

    public DerivedMaps Maps { get; }

    public DistrictAreas Areas { get; }
}

[CollectionDefinition(Name)]
public sealed class DerivedMapsCollection : ICollectionFixture<DerivedMapsFixture>
{
    public const string Name = "derived maps";
}
