using System.Text.Json;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.SafetyPoints;
using static Lagesbild.Grains.Tests.Samples;

namespace Lagesbild.Grains.Tests;

/// <summary>A grain's memory is only a copy: the store is the truth, after a deactivation and after another writer.</summary>
public sealed class GrainLifeTests(PictureCluster cluster) : IClassFixture<PictureCluster>
{
    [Fact]
    public async Task A_change_survives_deactivation_and_is_read_back_from_the_store()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        var activating = await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Activating));
        var grain = cluster.Client.GetGrain<ISafetyPointGrain>(EntityKey.Of(picture, FarstaOffice));

        await cluster.Cluster.DeactivateAsync(grain);
        Assert.False(cluster.Cluster.TryGetGrainContext(grain.GetGrainId(), out _));

        Assert.Equal(activating.Record, await grain.Record());
        var again = await cluster.SendAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Activating));
        Assert.Equal(RefusalKind.Conflict, again.Refusal?.Kind);
        var open = await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Open));
        Assert.Equal(activating.Seq + 1, open.Seq);
    }

    [Fact]
    public async Task A_change_written_behind_the_grains_back_is_what_the_next_command_is_decided_against()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Activating));
        var open = await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Open));
        var grain = cluster.Client.GetGrain<ISafetyPointGrain>(EntityKey.Of(picture, FarstaOffice));

        var behind = await WriteBehindTheGrainsBackAsync(picture, open, SafetyPointStatus.Limited, "Ingen värme i stora salen");

        // The grain still believes the point is open; closing is possible from both, so only
        // the store's answer tells it that it was overtaken.
        Assert.True(cluster.Cluster.TryGetGrainContext(grain.GetGrainId(), out _));
        var closing = await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Closing));

        Assert.Equal(behind + 1, closing.Seq);
        var entry = Json(await cluster.Store.ReadEntryAsync(new PictureKeys(picture), closing.Seq));
        Assert.Equal("Limited", entry.GetProperty("change").GetProperty("from").GetString());
        Assert.Equal("Closing", entry.GetProperty("change").GetProperty("to").GetString());
        var state = Json(closing.Record).GetProperty("state");
        Assert.Equal("Closing", state.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("limitations").ValueKind);
    }

    [Fact]
    public async Task A_command_only_the_newer_state_allows_is_accepted_after_a_change_behind_the_grains_back()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Activating));
        var open = await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Open));
        var behind = await WriteBehindTheGrainsBackAsync(picture, open, SafetyPointStatus.Closing, limitations: null);

        // Open cannot become closed, but closing can: only the stored state allows this.
        var closed = await cluster.SendAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Closed));

        Assert.Null(closed.Refusal);
        Assert.Equal(behind + 1, closed.Seq);
    }

    /// <summary>
    /// What another activation of the same point (say on a node thought dead) would do: append
    /// a status change straight to the store, with the version the grain last wrote.
    /// </summary>
    private async Task<long> WriteBehindTheGrainsBackAsync(string picture, CommandResult last, SafetyPointStatus to, string? limitations)
    {
        var self = new EntityRef(EntityKind.SafetyPoint, FarstaOffice);
        var current = Json(last.Record).GetProperty("state").Deserialize<SafetyPointState>(DomainJson.Options)!;
        var next = current with { Status = to, Limitations = limitations };
        var now = DateTimeOffset.UtcNow;
        var (entry, record) = EntryJson.Write(picture, self, current.District, Guid.NewGuid(), Guid.NewGuid(), now, new Actor("Bo Ek", Roles.Central), "Ändrat av en annan nod", false,
            new SafetyPointStatusChanged(current.Status, to, limitations), next);

        var appended = await cluster.Store.AppendAsync(new PictureKeys(picture), self, last.Seq, Guid.NewGuid(), current.District, entry, record, now, "behind-the-back");

        Assert.Equal(AppendOutcome.Appended, appended.Outcome);
        Assert.Equal(last.Seq + 1, appended.Seq);
        return appended.Seq;
    }
}
