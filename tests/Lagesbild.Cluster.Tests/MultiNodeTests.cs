using Lagesbild.Testing;

namespace Lagesbild.Cluster.Tests;

public sealed class MultiNodeTests
{
    [Fact]
    public async Task A_client_on_node_A_receives_in_order_the_changes_made_on_node_B()
    {
        await using var cluster = await Cluster.StartAsync();
        var (a, b) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var onA = new LiveClient(a.BaseAddress);
        await onA.ConnectAsync();
        var start = onA.LastSeq;
        using var httpB = b.CreateClient();
        await using var onB = new LiveClient(b.BaseAddress);
        await onB.ConnectAsync();

        long last = 0;
        for (var i = 0; i < 30; i++)
        {
            var response = await httpB.SendJsonAsync("PUT", $"api/pictures/live/safety-points/{(i % 2 == 0 ? "farsta-storforsplan" : "jarva-kista")}/resources",
                $$"""{"backupPower":{"available":true,"fuelHours":10},"waterLitres":{{i}},"staff":1,"frgVolunteers":0,"radios":0}""");
            response.EnsureSuccessStatusCode();
            last = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("seq").GetInt64();
            // Changes through the hub on node A interleave with those over HTTP on node B.
            last = (await onB.SendAsync("sodermalm-tanto", new
            {
                type = "ReportSafetyPointResources",
                backupPower = new { available = false, fuelHours = 0 },
                waterLitres = i,
                staff = 2,
                frgVolunteers = 0,
                radios = 0,
            })).GetProperty("seq").GetInt64();
        }

        await onA.WaitForSeqAsync(last);
        Assert.Equal(Enumerable.Range((int)start + 1, (int)(last - start)).Select(s => (long)s), onA.Deltas.Select(d => d.Seq));
        Assert.Equal(0, onA.Duplicates);
        Assert.Equal(0, onA.Gaps);
        using var httpA = a.CreateClient();
        Assert.Equal(await httpA.DigestAsync(), await httpB.DigestAsync());
        Assert.Equal((await httpA.DigestAsync()).Digest, onA.Digest());
    }
}
