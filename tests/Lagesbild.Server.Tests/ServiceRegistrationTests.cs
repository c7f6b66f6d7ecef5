using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>
/// A start does not check every registered service up front (it would cost the start a tenth
/// of a second), so this test does: a service whose dependency is missing fails here, not at
/// the first request that happens to need it.
/// </summary>
public sealed class ServiceRegistrationTests
{
    [Fact]
    public async Task Every_registered_service_can_be_built()
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string> { ["Lagesbild:Start:ValidateServices"] = "true" });

        await server.StartAsync();

        Assert.Contains("Every registered service's dependencies were checked at start", server.Output);
    }
}
