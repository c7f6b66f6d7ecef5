using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Grains.Districts;
using Lagesbild.Grains.Picture;
using StackExchange.Redis;
using static Lagesbild.Grains.Tests.Samples;

namespace Lagesbild.Grains.Tests;

/// <summary>What a change leaves in the loggbok, how it is found again, and that an exercise keeps to itself.</summary>
public sealed class LoggbokTests(PictureCluster cluster) : IClassFixture<PictureCluster>
{
    [Fact]
    public async Task The_hash_chain_finds_an_entry_that_was_changed_removed_or_moved_in_the_store()
    {
        var picture = PictureCluster.NewExercise();
        var keys = new PictureKeys(picture);
        await cluster.AcceptedAsync(picture, "farsta", RegisterFarsta());
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        for (var litres = 100; litres <= 400; litres += 100)
            await cluster.AcceptedAsync(picture, FarstaOffice, Resources(waterLitres: litres));
        var db = cluster.Garnet.Redis.GetDatabase();

        var intact = await LoggbokChain.VerifyAsync(cluster.Store, keys);
        Assert.Equal(new ChainReport(6, 6, 0, true, null, null), intact);

        // Someone with the store's password rewrites what was recorded at 4.
        var original = (string)(await db.HashGetAsync(keys.Log, 4))!;
        await db.HashSetAsync(keys.Log, 4, original.Replace("\"waterLitres\":200", "\"waterLitres\":900"));
        var changed = await LoggbokChain.VerifyAsync(cluster.Store, keys);
        await db.HashSetAsync(keys.Log, 4, original);
        // Entry 3 goes missing.
        var third = (string)(await db.HashGetAsync(keys.Log, 3))!;
        await db.HashDeleteAsync(keys.Log, 3);
        var removed = await LoggbokChain.VerifyAsync(cluster.Store, keys);
        await db.HashSetAsync(keys.Log, 3, third);
        // Entries 5 and 6 swap places.
        var (fifth, sixth) = ((string)(await db.HashGetAsync(keys.Log, 5))!, (string)(await db.HashGetAsync(keys.Log, 6))!);
        await db.HashSetAsync(keys.Log, [new HashEntry(5, sixth), new HashEntry(6, fifth)]);
        var moved = await LoggbokChain.VerifyAsync(cluster.Store, keys);
        await db.HashSetAsync(keys.Log, [new HashEntry(5, fifth), new HashEntry(6, sixth)]);

        Assert.Equal((false, 4L), (changed.Intact, changed.FirstBroken));
        Assert.Equal((false, 3L), (removed.Intact, removed.FirstBroken));
        Assert.Equal((false, 5L), (moved.Intact, moved.FirstBroken));
        Assert.All(new[] { changed, removed, moved }, report => Assert.False(string.IsNullOrWhiteSpace(report.Problem)));
        Assert.True((await LoggbokChain.VerifyAsync(cluster.Store, keys)).Intact);
    }

    [Fact]
    public async Task The_loggbok_entry_holds_who_when_why_what_and_the_state_after()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        var before = DateTimeOffset.UtcNow;

        var result = await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Activating, reason: " Strömavbrott i Farsta sedan kl. 06 "));

        var entries = await cluster.Store.ReadEntriesAsync(new PictureKeys(picture), result.Seq - 1, result.Seq);
        var entry = Json(Assert.Single(entries));
        Assert.Equal(result.Seq, entry.GetProperty("seq").GetInt64());
        Assert.Equal(result.EventId, entry.GetProperty("id").GetString());
        Assert.Equal(picture, entry.GetProperty("picture").GetString());
        var at = entry.GetProperty("at").GetDateTimeOffset();
        Assert.Equal(result.At, at);
        Assert.InRange(at, before, DateTimeOffset.UtcNow);
        Assert.Equal(Anna.Name, entry.GetProperty("actor").GetProperty("name").GetString());
        Assert.Equal(Anna.Role, entry.GetProperty("actor").GetProperty("role").GetString());
        Assert.Equal("SafetyPoint", entry.GetProperty("entity").GetProperty("kind").GetString());
        Assert.Equal(FarstaOffice, entry.GetProperty("entity").GetProperty("id").GetString());
        Assert.Equal("farsta", entry.GetProperty("district").GetString());
        Assert.Equal("SafetyPointStatusChanged", entry.GetProperty("type").GetString());
        Assert.Equal("Strömavbrott i Farsta sedan kl. 06", entry.GetProperty("reason").GetString());
        Assert.Equal("Inactive", entry.GetProperty("change").GetProperty("from").GetString());
        Assert.Equal("Activating", entry.GetProperty("change").GetProperty("to").GetString());
        Assert.Equal("Activating", entry.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal("Farsta stadsdelsförvaltning", entry.GetProperty("state").GetProperty("name").GetString());
    }

    [Fact]
    public async Task The_loggbok_is_searched_by_entity_and_by_district()
    {
        var picture = PictureCluster.NewExercise();
        var keys = new PictureKeys(picture);
        await cluster.AcceptedAsync(picture, "farsta", RegisterFarsta());
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        await cluster.AcceptedAsync(picture, Hokarangen, RegisterHokarangen());
        await cluster.AcceptedAsync(picture, Medborgarplatsen, RegisterMedborgarplatsen());
        await cluster.AcceptedAsync(picture, "lokal-farsta", new RegisterCrisisBody("Lokal krisledning Farsta", CrisisBodyKind.LocalCrisisManagement, "farsta"));
        await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Activating));
        await cluster.AcceptedAsync(picture, Medborgarplatsen, MoveTo(SafetyPointStatus.Activating));
        await cluster.AcceptedAsync(picture, "farsta", new SetDistrictSituation(DistrictSituation.Strained));

        var office = await cluster.Store.QueryAsync(keys, new LogQuery(new EntityRef(EntityKind.SafetyPoint, FarstaOffice), null, null, null, 0, 100));
        var farsta = await cluster.Store.QueryAsync(keys, new LogQuery(null, "farsta", null, null, 0, 100));
        var farstaAfterThree = await cluster.Store.QueryAsync(keys, new LogQuery(null, "farsta", null, null, 3, 100));

        Assert.Equal([2L, 6L], office.Select(e => EntryJson.SeqOf(e)));
        Assert.All(office.Select(Json), e => Assert.Equal(FarstaOffice, e.GetProperty("entity").GetProperty("id").GetString()));
        Assert.Equal([1L, 2L, 3L, 5L, 6L, 8L], farsta.Select(e => EntryJson.SeqOf(e)));
        Assert.Equal([5L, 6L, 8L], farstaAfterThree.Select(e => EntryJson.SeqOf(e)));
        Assert.All(farsta.Select(Json), e => Assert.Equal("farsta", e.GetProperty("district").GetString()));
    }

    [Fact]
    public async Task An_exercise_never_touches_the_live_picture()
    {
        const string exercise = "ex-test";
        await cluster.AcceptedAsync(PictureId.Live, "farsta", RegisterFarsta());
        await cluster.AcceptedAsync(PictureId.Live, FarstaOffice, RegisterFarstaOffice());
        var liveKeys = new PictureKeys(PictureId.Live);
        var liveSeq = await cluster.Store.CurrentSeqAsync(liveKeys);
        var liveRecord = await cluster.Client.GetGrain<IDistrictGrain>(EntityKey.Of(PictureId.Live, "farsta")).Record();
        var notExercise = (string key) => !key.StartsWith($"lb:{{{exercise}}}:", StringComparison.Ordinal);
        var before = await cluster.Garnet.SnapshotAsync(notExercise);
        var heardLive = new List<string>();
        var heardExercise = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscriber = cluster.Garnet.Redis.GetSubscriber();
        await subscriber.SubscribeAsync(liveKeys.Channel, (_, message) => { lock (heardLive) heardLive.Add(message!); });
        await subscriber.SubscribeAsync(new PictureKeys(exercise).Channel, (_, message) => heardExercise.TrySetResult(message!));
        try
        {
            // The same things as in the live picture, under the same ids: in the exercise they are new.
            var district = await cluster.AcceptedAsync(exercise, "farsta", RegisterFarsta());
            await cluster.AcceptedAsync(exercise, "farsta", new SetDistrictSituation(DistrictSituation.Critical));
            await cluster.AcceptedAsync(exercise, FarstaOffice, RegisterFarstaOffice());
            await cluster.AcceptedAsync(exercise, FarstaOffice, MoveTo(SafetyPointStatus.Activating));

            Assert.Equal(1, district.Seq);
            Assert.Contains(exercise, await heardExercise.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await subscriber.UnsubscribeAllAsync();
        }

        Assert.Equal(liveSeq, await cluster.Store.CurrentSeqAsync(liveKeys));
        Assert.Equal(liveRecord, await cluster.Client.GetGrain<IDistrictGrain>(EntityKey.Of(PictureId.Live, "farsta")).Record());
        Assert.Equal(before, await cluster.Garnet.SnapshotAsync(notExercise));
        Assert.NotEmpty(await cluster.Garnet.SnapshotAsync(key => !notExercise(key)));
        lock (heardLive)
            Assert.Empty(heardLive);
    }
}
