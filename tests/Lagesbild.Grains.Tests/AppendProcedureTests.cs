using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;

namespace Lagesbild.Grains.Tests;

/// <summary>
/// The embedded store appends through Garnet's registered procedure, Redis through the Lua
/// script. Both must write exactly the same keys and values and answer alike, or a picture
/// would read differently depending on where it is stored.
/// </summary>
public sealed class AppendProcedureTests(PictureCluster cluster) : IClassFixture<PictureCluster>
{
    [Fact]
    public async Task The_procedure_and_the_Lua_script_write_the_same_loggbok_and_answer_the_same()
    {
        var lua = new PictureStore(cluster.Garnet.Redis, useGarnetProcedure: false);
        var procedure = new PictureStore(cluster.Garnet.Redis, useGarnetProcedure: true);
        var luaPicture = PictureCluster.NewExercise();
        var procedurePicture = PictureCluster.NewExercise();
        var at = DateTimeOffset.Parse("2026-11-28T02:00:00+01:00");
        var point = new EntityRef(EntityKind.SafetyPoint, "tp-farsta");
        var district = new EntityRef(EntityKind.District, "farsta");
        var first = Guid.NewGuid();
        // Appended, appended to another entity without a district index, a repeated command id,
        // a stale version, then appended again.
        (EntityRef Entity, long Expected, Guid Command, string? District)[] steps =
        [
            (point, 0, first, "farsta"),
            (district, 0, Guid.NewGuid(), null),
            (point, 0, first, "farsta"),
            (point, 0, Guid.NewGuid(), "farsta"),
            (point, 1, Guid.NewGuid(), "farsta"),
        ];

        var luaAnswers = new List<AppendResult>();
        var procedureAnswers = new List<AppendResult>();
        foreach (var (index, (entity, expected, command, inDistrict)) in steps.Index())
        {
            var entry = $"\"id\":\"e{index}\",\"note\":\"å ä ö\"}}";
            var record = $"\"kind\":\"{entity.Kind}\",\"id\":\"{entity.Id}\"}}";
            luaAnswers.Add(await lua.AppendAsync(new PictureKeys(luaPicture), entity, expected, command, inDistrict, entry, record, at.AddSeconds(index), $"request-{index}"));
            procedureAnswers.Add(await procedure.AppendAsync(new PictureKeys(procedurePicture), entity, expected, command, inDistrict, entry, record, at.AddSeconds(index), $"request-{index}"));
        }

        Assert.Equal(
            [AppendOutcome.Appended, AppendOutcome.Appended, AppendOutcome.Duplicate, AppendOutcome.Conflict, AppendOutcome.Appended],
            luaAnswers.Select(a => a.Outcome));
        Assert.Equal([1L, 2, 1, 1, 3], luaAnswers.Select(a => a.Seq));
        // The repeated id answers with the request it was first used for.
        Assert.Equal("request-0", luaAnswers[2].Request);
        Assert.Equal(luaAnswers, procedureAnswers);
        var luaKeys = await cluster.Garnet.SnapshotAsync(key => key.Contains($"{{{luaPicture}}}"));
        var procedureKeys = await cluster.Garnet.SnapshotAsync(key => key.Contains($"{{{procedurePicture}}}"));
        Assert.Equal(10, luaKeys.Count); // seq, log, state, versions, command ids, by time, two by entity, one by district, chain
        Assert.Equal(luaKeys, procedureKeys.ToDictionary(k => k.Key.Replace(procedurePicture, luaPicture), k => k.Value));
        Assert.Contains("{\"seq\":3,\"id\":\"e4\",\"note\":\"å ä ö\"}", luaKeys[$"lb:{{{luaPicture}}}:log"]);
        // Both chains check out against the link as the server computes it (redis.sha1hex in Lua, SHA1 in the procedure).
        Assert.True((await LoggbokChain.VerifyAsync(lua, new PictureKeys(luaPicture))).Intact);
        Assert.True((await LoggbokChain.VerifyAsync(procedure, new PictureKeys(procedurePicture))).Intact);
    }
}
