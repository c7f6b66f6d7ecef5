using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

public sealed class SlowClientTests(ITestOutputHelper output)
{
    private const int Normal = 200;
    private const int Frozen = 20;
    private const int Throttled = 20;
    private const int ChangesPerSecond = 20;
    private static readonly TimeSpan StreamFor = TimeSpan.FromSeconds(60);
    /// <summary>The bound this test holds the server to while 40 of its clients misbehave.</summary>
    private const long MemoryGrowthBound = 200L * 1024 * 1024;

    [Fact]
    public async Task Slow_and_frozen_maps_never_hold_back_the_others_and_end_with_the_right_picture()
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string>
        {
            // Longer than the time the woken half stays frozen, so they are resynced, not dropped.
            ["Lagesbild:Live:WriteTimeoutSeconds"] = "40",
            // 240 maps of one person from one address: far more than a person's cap.
            ["Lagesbild:Live:MaxConnectionsPerPerson"] = "1000",
            ["Lagesbild:Live:MaxConnectionsPerAddress"] = "1000",
        });
        await server.StartAsync();
        using var http = server.CreateClient();

        var normal = Enumerable.Range(0, Normal).Select(_ => new LiveClient(server.BaseAddress)).ToList();
        // A frozen device says nothing either: its client must not time out and reconnect by itself.
        var frozenProxies = Enumerable.Range(0, Frozen).Select(_ => new LoopbackProxy(server.HttpPort) { SocketBufferBytes = 8 * 1024 }).ToList();
        var frozen = frozenProxies.Select(p => new LiveClient(p.Address, serverTimeout: TimeSpan.FromMinutes(5))).ToList();
        // About 100 kbit/s with 300 ms latency: a congested mobile link.
        var throttledProxies = Enumerable.Range(0, Throttled).Select(_ => new LoopbackProxy(server.HttpPort)
        {
            DownstreamBytesPerSecond = 12_500,
            DownstreamDelay = TimeSpan.FromMilliseconds(300),
        }).ToList();
        var throttled = throttledProxies.Select(p => new LiveClient(p.Address, serverTimeout: TimeSpan.FromSeconds(30))).ToList();
        var everyone = normal.Concat(frozen).Concat(throttled).ToList();
        try
        {
            foreach (var batch in everyone.Chunk(20))
                await Task.WhenAll(batch.Select(c => c.ConnectAsync()));
            var startSeq = (await http.DigestAsync()).Seq;
            await Task.WhenAll(everyone.Select(c => c.WaitForSeqAsync(startSeq, TimeSpan.FromSeconds(30))));
            var baseline = await StatsAsync(http);

            frozenProxies.ForEach(p => p.Freeze());
            var points = new[] { "farsta-storforsplan", "sodermalm-tellus", "jarva-kista", "bromma-brommaplan", "skarpnack-centrum" };
            var peak = baseline.GetProperty("processMemoryBytes").GetInt64();
            var highestQueue = 0L;
            var mostBehind = 0;
            var clock = Stopwatch.StartNew();
            long lastSeq = startSeq;
            var sent = 0;
            var thawed = false;
            while (clock.Elapsed < StreamFor)
            {
                var due = TimeSpan.FromSeconds((double)sent / ChangesPerSecond);
                if (due > clock.Elapsed)
                    await Task.Delay(due - clock.Elapsed);
                var response = await http.SendJsonAsync("PUT", $"api/pictures/live/safety-points/{points[sent % points.Length]}/resources",
                    $$"""{"backupPower":{"available":true,"fuelHours":{{sent % 100}}},"waterLitres":{{sent}},"staff":5,"frgVolunteers":3,"radios":2}""");
                response.EnsureSuccessStatusCode();
                lastSeq = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
                sent++;
                if (sent % ChangesPerSecond == 0)
                {
                    var stats = await StatsAsync(http);
                    peak = Math.Max(peak, stats.GetProperty("processMemoryBytes").GetInt64());
                    highestQueue = Math.Max(highestQueue, stats.GetProperty("highestQueuedBytes").GetInt64());
                    mostBehind = Math.Max(mostBehind, stats.GetProperty("behind").GetInt32());
                }
                if (!thawed && clock.Elapsed > StreamFor * 0.45)
                {
                    // Half of the frozen devices wake up; the rest never come back.
                    frozenProxies.Take(Frozen / 2).ToList().ForEach(p => p.Thaw());
                    thawed = true;
                }
            }

            // Every normal client got every change, in order, with nothing missing or twice.
            await Task.WhenAll(normal.Select(c => c.WaitForSeqAsync(lastSeq, TimeSpan.FromSeconds(30))));
            foreach (var client in normal)
            {
                Assert.Equal(Enumerable.Range((int)startSeq + 1, (int)(lastSeq - startSeq)).Select(s => (long)s), client.Deltas.Where(d => d.Seq > startSeq).Select(d => d.Seq));
                Assert.Equal(0, client.Gaps);
                Assert.Equal(0, client.Duplicates);
                Assert.Equal(1, client.Snapshots);
            }

            // The throttled and the woken clients end with exactly the server's picture.
            var digest = (await http.DigestAsync()).Digest;
            var recovering = throttled.Concat(frozen.Take(Frozen / 2)).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (DateTime.UtcNow < deadline && recovering.Any(c => c.Digest() != digest))
                await Task.Delay(500);
            var serverSeq = (await http.DigestAsync()).Seq;
            foreach (var (client, i) in recovering.Select((c, i) => (c, i)))
                output.WriteLine($"{(i < Throttled ? "throttled" : "woken")} {i}: at seq {client.LastSeq} of {serverSeq}, snapshots {client.Snapshots}, gaps {client.Gaps}, " +
                    $"digest {(client.Digest() == digest ? "equal" : "differs")}, last delta {(client.Deltas.LastOrDefault() is { } last ? $"{(DateTimeOffset.UtcNow - last.ReceivedAt).TotalSeconds:F0} s ago" : "none")}, " +
                    $"state {client.State}, proxy {(i < Throttled ? throttledProxies[i].Downstream.ToString() : "-")}");
            if (recovering.Any(c => c.Digest() != digest))
            {
                output.WriteLine($"stats: {await http.GetStringAsync("api/live/stats")}");
                foreach (var line in server.Output.Split('\n').Where(l => l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.Contains("Exception", StringComparison.Ordinal)).Take(40))
                    output.WriteLine($"server: {line}");
            }
            Assert.All(recovering, c => Assert.Equal(digest, c.Digest()));

            // The frozen clients that never came back were dropped, and everything held for them freed.
            var expected = Normal + Throttled + Frozen / 2;
            JsonElement final;
            deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                final = await StatsAsync(http);
                if (final.GetProperty("connections").GetInt32() == expected)
                    break;
                await Task.Delay(500);
            }
            while (DateTime.UtcNow < deadline);
            Assert.Equal(expected, final.GetProperty("connections").GetInt32());

            var growth = peak - baseline.GetProperty("processMemoryBytes").GetInt64();
            // The frozen clients really pushed back: their queues overflowed, their deltas were
            // dropped and the woken ones were sent a fresh snapshot instead of stale history.
            Assert.True(final.GetProperty("droppedDeltas").GetInt64() > 0, final.ToString());
            // (A woken client whose connection the server had already closed resumes from the
            // loggbok instead; either way it ends with the server's digest, asserted above.)
            Assert.True(final.GetProperty("resyncs").GetInt64() > 0, final.ToString());
            output.WriteLine($"changes {sent} ({ChangesPerSecond}/s for {StreamFor.TotalSeconds} s); normal clients {Normal}: all complete and in order");
            output.WriteLine($"throttled {Throttled} and woken {Frozen / 2}: digests equal; never-returning {Frozen / 2}: dropped (connections now {final.GetProperty("connections").GetInt32()})");
            output.WriteLine($"server memory: baseline {baseline.GetProperty("processMemoryBytes").GetInt64() / 1048576} MB, peak {peak / 1048576} MB, growth {growth / 1048576} MB (bound {MemoryGrowthBound / 1048576} MB); highest queue {highestQueue / 1024} KB");
            output.WriteLine($"most clients behind at once {mostBehind}; resyncs {final.GetProperty("resyncs")}, dropped deltas {final.GetProperty("droppedDeltas")} ({final.GetProperty("droppedBytes").GetInt64() / 1024} KB), write timeouts {final.GetProperty("timedOut")}");
            output.WriteLine($"snapshots sent to throttled clients: {string.Join(",", throttled.Select(c => c.Snapshots))}; to woken: {string.Join(",", frozen.Take(Frozen / 2).Select(c => c.Snapshots))}");
            Assert.True(growth < MemoryGrowthBound, $"server memory grew by {growth / 1048576} MB");
        }
        finally
        {
            frozenProxies.ForEach(p => p.Thaw());
            await Task.WhenAll(everyone.Select(c => c.DisposeAsync().AsTask()));
            foreach (var proxy in frozenProxies.Concat(throttledProxies))
                await proxy.DisposeAsync();
        }
    }

    private static Task<JsonElement> StatsAsync(HttpClient http) => http.GetFromJsonAsync<JsonElement>("api/live/stats");
}
