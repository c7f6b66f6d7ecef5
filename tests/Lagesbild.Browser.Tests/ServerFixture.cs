using Lagesbild.Testing;

namespace Lagesbild.Browser.Tests;

/// <summary>One real server with the embedded store, shared by a class whose tests do not disturb each other.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        Http = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
