using Xunit;

namespace Lagesbild.Testing;

/// <summary>
/// One real server with the embedded store, started for a test class (as an xunit class
/// fixture) and stopped after it, with an HTTP client signed in as the central crisis team.
/// </summary>
public class RunningServer(IDictionary<string, string>? settings = null) : IAsyncLifetime
{
    public ServerProcess Server { get; } = new(settings: settings);

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
