using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Configuration;
using Orleans.TestingHost;
using StackExchange.Redis;

namespace Lagesbild.Grains.Tests;

/// <summary>
/// An Orleans test cluster whose silos keep the picture in a real embedded Garnet, wired as
/// the server wires them: PictureStore over Redis, the system clock, the city's district
/// areas, and System.Text.Json for every Lagesbild.Domain type with DomainJson.Internal.
/// One per test class; each test works in a picture of its own unless it says otherwise.
/// </summary>
public sealed class PictureCluster : IAsyncLifetime
{
    public EmbeddedGarnet Garnet { get; private set; } = null!;
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>The store as the silos see it, for reading the loggbok and writing behind a grain's back.</summary>
    public PictureStore Store { get; private set; } = null!;

    public CommandBus Bus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Garnet = await EmbeddedGarnet.StartAsync();
        // As the server uses the embedded store: the append as Garnet's registered procedure.
        Store = new PictureStore(Garnet.Redis, useGarnetProcedure: true);

        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<IConnectionMultiplexer>(Garnet.Redis);
            silo.Services.AddSingleton(Store);
            silo.Services.AddSingleton<IAreas>(MapAreas.Stockholm);
            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IOfficeHours>(OfficeHours.Stockholm);
            AddDomainJson(silo.Services);
            // The server skips Orleans' check that every type in a grain interface has a
            // serializer (it cost its start); with the same serializers here, it runs at every deploy.
            silo.Services.Configure<TypeManifestOptions>(options => options.EnableConfigurationAnalysis = true);
            silo.AddIncomingGrainCallFilter<FailingCalls>();
        });
        builder.ConfigureClient(client => AddDomainJson(client.Services));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        Bus = new CommandBus(Client, Microsoft.Extensions.Logging.Abstractions.NullLogger<CommandBus>.Instance);
    }

    // Exactly as Program.cs configures the silo; the client needs the same to send commands.
    private static void AddDomainJson(IServiceCollection services) =>
        services.AddSerializer(serializer => serializer.AddJsonSerializer(
            isSupported: type => type.Namespace?.StartsWith("Lagesbild.Domain", StringComparison.Ordinal) == true,
            jsonSerializerOptions: DomainJson.Internal));

    /// <summary>A fresh exercise picture, so a test sees sequence numbers from 1 and nobody else's changes.</summary>
    public static string NewExercise() => $"ex-{Guid.NewGuid():N}"[..15];

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Garnet.DisposeAsync();
    }
}
