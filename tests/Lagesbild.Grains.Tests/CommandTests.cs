using Lagesbild.Domain.City;
using Lagesbild.Domain.CrisisBodies;
using Lagesbild.Domain.Districts;
using Lagesbild.Domain.Picture;
using Lagesbild.Domain.SafetyPoints;
using Lagesbild.Domain.Sectors;
using Lagesbild.Grains.Picture;
using Lagesbild.Grains.SafetyPoints;
using static Lagesbild.Grains.Tests.Samples;

namespace Lagesbild.Grains.Tests;

/// <summary>A command through the cluster: its answer, its place in the picture's sequence, and what a refusal or a retry leaves behind.</summary>
public sealed class CommandTests(PictureCluster cluster) : IClassFixture<PictureCluster>
{
    [Fact]
    public async Task An_accepted_command_answers_with_its_sequence_number_and_the_record()
    {
        var picture = PictureCluster.NewExercise();

        var district = await cluster.AcceptedAsync(picture, "farsta", RegisterFarsta());
        var point = await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());

        Assert.Equal(1, district.Seq);
        Assert.Equal(2, point.Seq);
        Assert.False(string.IsNullOrEmpty(point.EventId));
        var record = Json(point.Record);
        Assert.Equal(2, record.GetProperty("seq").GetInt64());
        Assert.Equal("SafetyPoint", record.GetProperty("kind").GetString());
        Assert.Equal(FarstaOffice, record.GetProperty("id").GetString());
        Assert.Equal(Anna.Name, record.GetProperty("by").GetString());
        Assert.Equal("Inactive", record.GetProperty("state").GetProperty("status").GetString());
        Assert.Equal("farsta", record.GetProperty("state").GetProperty("district").GetString());
        Assert.Equal(point.Record, await cluster.Client.GetGrain<ISafetyPointGrain>(EntityKey.Of(picture, FarstaOffice)).Record());
    }

    [Fact]
    public async Task Sequence_numbers_rise_by_one_across_every_thing_in_a_picture()
    {
        var picture = PictureCluster.NewExercise();
        (string Target, Command Command)[] oneByOne =
        [
            (CityRules.Id, new RegisterCity("Stockholms stad")),
            ("farsta", RegisterFarsta()),
            (FarstaOffice, RegisterFarstaOffice()),
            ("energiforsorjning", new RegisterSector("Energiförsörjning", "Miljöförvaltningen")),
            ("lokal-farsta", new RegisterCrisisBody("Lokal krisledning Farsta", CrisisBodyKind.LocalCrisisManagement, "farsta")),
            (FarstaOffice, MoveTo(SafetyPointStatus.Activating)),
            (CityRules.Id, new ChangeCityLevel(EscalationLevel.SocietalDisturbance, "Stadsdirektören") { Reason = "Storm" }),
            ("energiforsorjning", new ReportSectorStatus(SectorStatus.Disturbed, ["farsta"], "Diesel", null)),
        ];

        var seqs = new List<long>();
        foreach (var (target, command) in oneByOne)
            seqs.Add((await cluster.AcceptedAsync(picture, target, command)).Seq);

        // The level change (7) is followed by its beslut (8), recorded by Lagesbild before the next command.
        Assert.Equal([1L, 2, 3, 4, 5, 6, 7, 9], seqs);
        Assert.NotNull(await cluster.Client.GetGrain<Lagesbild.Grains.Resolutions.IResolutionGrain>(EntityKey.Of(picture, "niva-7")).Record());
        var written = oneByOne.Length + 1;

        // Many things at once: each still gets its own number and none is skipped.
        var burst = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => i % 2 == 0
            ? cluster.AcceptedAsync(picture, $"sektor-{i}", new RegisterSector($"Sektor {i}", "Stadsledningskontoret"))
            : cluster.AcceptedAsync(picture, FarstaOffice, Resources(waterLitres: i))));

        Assert.Equal(Enumerable.Range(written + 1, burst.Length).Select(i => (long)i), burst.Select(r => r.Seq).Order());
        var keys = new PictureKeys(picture);
        var total = written + burst.Length;
        Assert.Equal(total, await cluster.Store.CurrentSeqAsync(keys));
        var entries = await cluster.Store.ReadEntriesAsync(keys, 0, total);
        Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), entries.Select(e => EntryJson.SeqOf(e)));
    }

    [Fact]
    public async Task A_refused_command_writes_nothing()
    {
        var picture = PictureCluster.NewExercise();
        var registered = await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        var before = await cluster.Garnet.SnapshotAsync(key => key.Contains($"{{{picture}}}"));

        var outOfOrder = await cluster.SendAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Closed));
        var invalid = await cluster.SendAsync(picture, FarstaOffice, new ReportSafetyPointVisitors(-3));
        var again = await cluster.SendAsync(picture, FarstaOffice, RegisterFarstaOffice());
        var unknown = await cluster.SendAsync(picture, Hokarangen, MoveTo(SafetyPointStatus.Activating));

        Assert.Equal(RefusalKind.Conflict, outOfOrder.Refusal?.Kind);
        Assert.Equal(RefusalKind.Invalid, invalid.Refusal?.Kind);
        Assert.Contains("visitors", invalid.Refusal!.Errors!.Keys);
        Assert.Equal(RefusalKind.Conflict, again.Refusal?.Kind);
        Assert.Equal(RefusalKind.NotFound, unknown.Refusal?.Kind);
        Assert.All([outOfOrder, invalid, again, unknown], r => Assert.Equal(0, r.Seq));
        Assert.Equal(registered.Seq, await cluster.Store.CurrentSeqAsync(new PictureKeys(picture)));
        Assert.Equal(before, await cluster.Garnet.SnapshotAsync(key => key.Contains($"{{{picture}}}")));
    }

    [Fact]
    public async Task The_same_command_id_sent_twice_is_applied_once()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        var commandId = Guid.NewGuid();

        var first = await cluster.AcceptedAsync(picture, FarstaOffice, Resources(waterLitres: 500), commandId);
        var retry = await cluster.AcceptedAsync(picture, FarstaOffice, Resources(waterLitres: 500), commandId);

        Assert.Equal(first.Seq, retry.Seq);
        Assert.Equal(first.EventId, retry.EventId);
        Assert.Equal(first.At, retry.At);
        Assert.Equal(first.Seq, await cluster.Store.CurrentSeqAsync(new PictureKeys(picture)));
    }

    [Fact]
    public async Task A_retry_after_other_changes_answers_as_the_first_time()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        var commandId = Guid.NewGuid();
        var first = await cluster.AcceptedAsync(picture, FarstaOffice, Resources(waterLitres: 500), commandId);
        var later = await cluster.AcceptedAsync(picture, FarstaOffice, Resources(waterLitres: 300));

        var retry = await cluster.AcceptedAsync(picture, FarstaOffice, Resources(waterLitres: 500), commandId);

        Assert.Equal(first.Seq, retry.Seq);
        Assert.Equal(first.EventId, retry.EventId);
        Assert.Equal(later.Seq, await cluster.Store.CurrentSeqAsync(new PictureKeys(picture)));
    }

    [Fact]
    public async Task A_retried_status_change_is_answered_as_the_first_time()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        var commandId = Guid.NewGuid();

        var first = await cluster.AcceptedAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Activating), commandId);
        var retry = await cluster.SendAsync(picture, FarstaOffice, MoveTo(SafetyPointStatus.Activating), commandId);

        Assert.Null(retry.Refusal);
        Assert.Equal(first.Seq, retry.Seq);
        Assert.Equal(first.EventId, retry.EventId);
    }

    [Fact]
    public async Task A_retried_registration_is_answered_as_the_first_time()
    {
        var picture = PictureCluster.NewExercise();
        var commandId = Guid.NewGuid();

        var first = await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice(), commandId);
        var retry = await cluster.SendAsync(picture, FarstaOffice, RegisterFarstaOffice(), commandId);

        Assert.Null(retry.Refusal);
        Assert.Equal(first.Seq, retry.Seq);
    }

    [Fact]
    public async Task A_command_id_reused_for_a_different_change_is_refused_and_changes_nothing()
    {
        var picture = PictureCluster.NewExercise();
        await cluster.AcceptedAsync(picture, "farsta", RegisterFarsta());
        await cluster.AcceptedAsync(picture, FarstaOffice, RegisterFarstaOffice());
        var commandId = Guid.NewGuid();
        var first = await cluster.AcceptedAsync(picture, FarstaOffice, Resources(waterLitres: 500), commandId);

        // Another body, another entity, another person: each is a different request.
        var otherBody = await cluster.SendAsync(picture, FarstaOffice, Resources(waterLitres: 300), commandId);
        var otherEntity = await cluster.SendAsync(picture, "farsta", new SetDistrictSituation(DistrictSituation.Strained), commandId);
        var otherPerson = await cluster.Bus.SendAsync(picture, FarstaOffice, Resources(waterLitres: 500), new Actor("Bo Ek", Roles.Central), commandId);

        foreach (var refused in new[] { otherBody, otherEntity, otherPerson })
        {
            Assert.Equal(RefusalKind.Unprocessable, refused.Refusal?.Kind);
            Assert.Contains("Idempotency-Key", refused.Refusal!.Reason);
        }
        Assert.Equal(first.Seq, await cluster.Store.CurrentSeqAsync(new PictureKeys(picture)));
        var water = Json(await cluster.Client.GetGrain<ISafetyPointGrain>(EntityKey.Of(picture, FarstaOffice)).Record())
            .GetProperty("state").GetProperty("resources").GetProperty("waterLitres").GetInt32();
        Assert.Equal(500, water);
    }

    [Fact]
    public async Task A_picture_that_is_neither_live_nor_an_exercise_is_not_found()
    {
        var result = await cluster.SendAsync("ovning-1", FarstaOffice, RegisterFarstaOffice());

        Assert.Equal(RefusalKind.NotFound, result.Refusal?.Kind);
    }
}
