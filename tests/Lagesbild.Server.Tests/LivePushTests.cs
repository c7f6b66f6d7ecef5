using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

public sealed class LivePushTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Changes_made_over_http_and_over_the_hub_reach_every_client_in_order()
    {
        await using var first = new LiveClient(fixture.Server.BaseAddress);
        await using var second = new LiveClient(fixture.Server.BaseAddress);
        await first.ConnectAsync();
        await second.ConnectAsync();
        Assert.Equal(1, first.Snapshots);
        var start = first.LastSeq;

        long last = 0;
        for (var i = 0; i < 20; i++)
        {
            last = await fixture.ReportWaterAsync("farsta-storforsplan", 100 + i);
            var viaHub = await second.SendAsync("sodermalm-tellus", new
            {
                type = "ReportSafetyPointResources",
                backupPower = new { available = false, fuelHours = 0 },
                waterLitres = 200 + i,
                staff = 3,
                frgVolunteers = 1,
                radios = 0,
            });
            last = viaHub.GetProperty("seq").GetInt64();
        }

        foreach (var client in new[] { first, second })
        {
            await client.WaitForSeqAsync(last);
            var seqs = client.Deltas.Select(d => d.Seq).ToArray();
            Assert.Equal(Enumerable.Range((int)start + 1, (int)(last - start)).Select(s => (long)s), seqs);
            Assert.All(client.Deltas, d => Assert.Equal("SafetyPointResourcesReported", d.Type));
            Assert.Equal(0, client.Gaps);
            Assert.Equal(0, client.Duplicates);
            Assert.Equal((await fixture.Http.DigestAsync()).Digest, client.Digest());
        }
        Assert.Contains("\"waterLitres\":119", first.StateOf("SafetyPoint/farsta-storforsplan"));
        Assert.Contains("\"waterLitres\":219", first.StateOf("SafetyPoint/sodermalm-tellus"));
    }

    [Fact]
    public async Task A_client_that_is_cut_off_and_reconnects_gets_exactly_what_it_missed()
    {
        await using var proxy = new LoopbackProxy(fixture.Server.HttpPort);
        await using var client = new LiveClient(proxy.Address);
        await client.ConnectAsync();
        await fixture.ReportWaterAsync("jarva-kista", 1);
        var before = await fixture.ReportWaterAsync("jarva-kista", 2);
        await client.WaitForSeqAsync(before);

        proxy.Cut();
        long last = 0;
        for (var i = 0; i < 10; i++)
            last = await fixture.ReportWaterAsync("jarva-kista", 10 + i);
        proxy.Restore();

        await client.WaitForSeqAsync(last, TimeSpan.FromSeconds(20));
        Assert.Equal("resume", client.LastJoinMode);
        Assert.Equal(1, client.Snapshots);
        var missed = client.Deltas.Where(d => d.Seq > before).Select(d => d.Seq).ToArray();
        Assert.Equal(Enumerable.Range((int)before + 1, (int)(last - before)).Select(s => (long)s), missed);
        Assert.Equal(0, client.Duplicates);
        Assert.Equal((await fixture.Http.DigestAsync()).Digest, client.Digest());
    }

    [Fact]
    public async Task A_client_that_missed_too_much_gets_a_fresh_snapshot()
    {
        await using var proxy = new LoopbackProxy(fixture.Server.HttpPort);
        await using var client = new LiveClient(proxy.Address);
        await client.ConnectAsync();
        var before = await fixture.ReportWaterAsync("bromma-brommaplan", 1);
        await client.WaitForSeqAsync(before);

        proxy.Cut();
        long last = 0;
        for (var i = 0; i < 30; i++)
            last = await fixture.ReportWaterAsync("bromma-brommaplan", 10 + i);
        proxy.Restore();

        await client.WaitForSeqAsync(last, TimeSpan.FromSeconds(20));
        Assert.Equal("snapshot", client.LastJoinMode);
        Assert.Equal(2, client.Snapshots);
        Assert.Equal((await fixture.Http.DigestAsync()).Digest, client.Digest());
    }

    [Fact]
    public async Task A_client_whose_last_entry_is_not_the_servers_gets_a_fresh_snapshot()
    {
        await using var client = new LiveClient(fixture.Server.BaseAddress, reconnect: false);
        await client.Connection.StartAsync();
        var seq = (await fixture.Http.DigestAsync()).Seq;
        var answer = await client.Connection.InvokeAsync<JsonElement>("Join", "live", seq, "0000000000000000000000000000beef");
        await client.WaitForSeqAsync(seq);
        Assert.Equal(1, client.Snapshots);
        Assert.Equal((await fixture.Http.DigestAsync()).Digest, client.Digest());
        Assert.NotNull(answer.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task An_exercise_never_touches_the_live_picture()
    {
        var create = await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-stadso","name":"STADSÖ"}""");
        Assert.Equal(System.Net.HttpStatusCode.Created, create.StatusCode);
        await using var live = new LiveClient(fixture.Server.BaseAddress);
        await using var exercise = new LiveClient(fixture.Server.BaseAddress, "ex-stadso");
        await live.ConnectAsync();
        await exercise.ConnectAsync();
        var liveBefore = await fixture.Http.DigestAsync();

        await fixture.Http.ChangeStatusAsync("farsta-emma-hokarangen", "Activating", picture: "ex-stadso");
        var exerciseSeq = await fixture.Http.ChangeStatusAsync("farsta-emma-hokarangen", "Open", picture: "ex-stadso");
        await exercise.WaitForSeqAsync(exerciseSeq);

        Assert.Equal(liveBefore, await fixture.Http.DigestAsync());
        Assert.Empty(live.Deltas);
        Assert.Contains("\"status\":\"Open\"", exercise.StateOf("SafetyPoint/farsta-emma-hokarangen"));
        Assert.Contains("\"status\":\"Inactive\"", live.StateOf("SafetyPoint/farsta-emma-hokarangen"));
        var again = await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-stadso","name":"STADSÖ"}""");
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
    }
}
