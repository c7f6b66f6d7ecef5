using System.Net;
using Lagesbild.Testing;

namespace Lagesbild.Cluster.Tests;

/// <summary>
/// Nodes that share one Redis share the development signing key (given by setting) and the
/// revocations: a token from one node opens the others, and once it is signed out on one
/// node every other node refuses it and closes its live connections.
/// </summary>
public sealed class RevocationAcrossNodesTests
{
    [Fact]
    public async Task A_token_signed_out_on_one_node_is_refused_and_its_map_closed_on_another()
    {
        await using var cluster = await Cluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        var token = DevTokens.Issue(a.BaseAddress, "sara");
        using var onA = a.CreateClientWithToken(token);
        using var onB = b.CreateClientWithToken(token);
        await using var mapOnB = new LiveClient(b.BaseAddress, reconnect: false, token: token);
        await mapOnB.ConnectAsync();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        mapOnB.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("api/pictures/live/digest")).StatusCode);

        using var signOut = await onA.PostAsync("api/sign-out", null);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var refused = await onB.GetAsync("api/pictures/live/digest");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("Utloggad", await refused.Content.ReadAsStringAsync());
        // The same person's other sign-in is untouched.
        using var again = b.CreateClientWithToken(DevTokens.Issue(a.BaseAddress, "sara"));
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("api/pictures/live/digest")).StatusCode);
    }
}
