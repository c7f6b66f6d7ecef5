using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

/// <summary>
/// Above a delivery rate each connection's deltas wait for its turn and go out together, several
/// hub messages in one write. The threshold is lowered here so a few clients reach it: every map
/// must still get every change once, in order, and end with the server's picture.
/// </summary>
public sealed class CoalescedDeliveryTests
{
    [Fact]
    public async Task Coalesced_deltas_reach_every_client_once_and_in_order()
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string>
        {
            ["Lagesbild:Live:CoalesceAboveDeliveriesPerSecond"] = "10",
            ["Lagesbild:Live:CoalesceMilliseconds"] = "100",
        });
        await server.StartAsync();
        using var http = server.CreateClient();
        var clients = Enumerable.Range(0, 4).Select(_ => new LiveClient(server.BaseAddress)).ToList();
        try
        {
            await Task.WhenAll(clients.Select(c => c.ConnectAsync()));
            var start = clients[0].LastSeq;

            // Four writers at once for three seconds: well above 10 deliveries/s, and several
            // changes land within one turn.
            var coalescedSeen = false;
            long last = 0;
            var until = DateTime.UtcNow.AddSeconds(3);
            var points = new[] { "farsta-storforsplan", "sodermalm-tellus", "jarva-kista", "bromma-brommaplan" };
            var litres = 0;
            while (DateTime.UtcNow < until)
            {
                var seqs = await Task.WhenAll(points.Select(point => http.ReportWaterAsync(point, Interlocked.Increment(ref litres))));
                last = Math.Max(last, seqs.Max());
                coalescedSeen |= (await http.GetFromJsonAsync<JsonElement>("api/live/stats")).GetProperty("coalescingPictures").GetInt32() == 1;
            }

            Assert.True(coalescedSeen, "the picture never switched to coalesced delivery");
            // Turns write to many connections at once: the server keeps enough pooled buffers for
            // that (1,024 per core, set first thing at start-up; see SharedArrayPool).
            var stats = await http.GetFromJsonAsync<JsonElement>("api/live/stats");
            Assert.Equal(1024, stats.GetProperty("sharedArrayPoolArraysPerCore").GetInt32());
            var digest = (await http.DigestAsync()).Digest;
            foreach (var client in clients)
            {
                await client.WaitForSeqAsync(last, TimeSpan.FromSeconds(20));
                Assert.Equal(Enumerable.Range((int)start + 1, (int)(last - start)).Select(s => (long)s), client.Deltas.Select(d => d.Seq));
                Assert.Equal(0, client.Gaps);
                Assert.Equal(0, client.Duplicates);
                Assert.Equal(1, client.Snapshots);
                Assert.Equal(digest, client.Digest());
            }
        }
        finally
        {
            foreach (var client in clients)
                await client.DisposeAsync();
        }
    }
}
