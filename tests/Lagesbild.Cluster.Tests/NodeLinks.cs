using Lagesbild.Testing;

namespace Lagesbild.Cluster.Tests;

/// <summary>One node's links: to the store, into its silo, and from its clients (<see cref="Client"/>'s address).</summary>
public sealed record NodeLinks(LoopbackProxy Store, LoopbackProxy Silo, LoopbackProxy Client) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Silo.DisposeAsync();
        await Client.DisposeAsync();
    }
}
