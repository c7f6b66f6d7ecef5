using Lagesbild.Domain.Picture;
using Lagesbild.Grains.Picture;

namespace Lagesbild.Grains.Tests;

/// <summary>
/// The append-only file is written into space zero-filled ahead of its tail (SyncAppendDevice).
/// A crash leaves those zeros behind the last acknowledged append; the next start must find
/// every acknowledged append, take none of the zeros for one, and append on after them.
/// </summary>
public sealed class AppendOnlyFileTests
{
    [Fact]
    public async Task A_crash_with_zeros_past_the_tail_loses_no_acknowledged_append_and_the_store_appends_on()
    {
        var picture = new PictureKeys(PictureCluster.NewExercise());
        var point = new EntityRef(EntityKind.SafetyPoint, "tp-farsta");
        var crashed = Path.Combine(Path.GetTempPath(), $"lagesbild-grains-tests-{Guid.NewGuid():N}");
        var crashedAgain = Path.Combine(Path.GetTempPath(), $"lagesbild-grains-tests-{Guid.NewGuid():N}");

        await using (var first = await EmbeddedGarnet.StartAsync())
        {
            var store = new PictureStore(first.Redis, useGarnetProcedure: true);
            for (var seq = 1; seq <= 40; seq++)
                Assert.Equal(seq, (await Append(store, picture, point, expected: seq - 1)).Seq);
            var file = AppendOnlyFile(first.DataDirectory);
            // The fills run after appends, off their path: wait until the lead is there.
            for (var i = 0; i < 100 && new FileInfo(file).Length < SyncAppendDevice.Lead; i++)
                await Task.Delay(50);
            // 40 appends are a few dozen KB; the rest of the file is zeros past the tail.
            Assert.True(new FileInfo(file).Length >= SyncAppendDevice.Lead, $"the append-only file is {new FileInfo(file).Length} bytes");
            Assert.True(EndsInZeros(file, SyncAppendDevice.Chunk));
            // What a kill -9 leaves: every acknowledged append was written (O_DSYNC) before its answer.
            CopyFolder(first.DataDirectory, crashed);
        }

        await using (var second = await EmbeddedGarnet.StartAsync(crashed))
        {
            var store = new PictureStore(second.Redis, useGarnetProcedure: true);
            Assert.Equal(40, await store.CurrentSeqAsync(picture));
            Assert.Equal(40, (await store.ReadEntriesAsync(picture, 0, 40)).Length);
            Assert.True((await LoggbokChain.VerifyAsync(store, picture)).Intact);
            Assert.Equal(41, (await Append(store, picture, point, expected: 40)).Seq);
            CopyFolder(second.DataDirectory, crashedAgain);
        }

        // The append after the recovery went where the zeros were, and is found again after another crash.
        await using (var third = await EmbeddedGarnet.StartAsync(crashedAgain))
        {
            var store = new PictureStore(third.Redis, useGarnetProcedure: true);
            Assert.Equal(41, await store.CurrentSeqAsync(picture));
            Assert.Equal(41, (await store.ReadEntriesAsync(picture, 0, 41)).Length);
            Assert.True((await LoggbokChain.VerifyAsync(store, picture)).Intact);
            Assert.Equal(42, (await Append(store, picture, point, expected: 41)).Seq);
        }
    }

    private static Task<AppendResult> Append(PictureStore store, PictureKeys picture, EntityRef point, long expected) =>
        store.AppendAsync(picture, point, expected, Guid.NewGuid(), "farsta",
            $"\"id\":\"e{expected + 1}\",\"note\":\"{new string('x', 600)}\"}}", $"\"kind\":\"SafetyPoint\",\"id\":\"{point.Id}\"}}",
            DateTimeOffset.Parse("2026-11-28T02:00:00+01:00").AddSeconds(expected), $"request-{expected}");

    private static string AppendOnlyFile(string directory) =>
        Directory.EnumerateFiles(directory, "aof.log.0", SearchOption.AllDirectories).Single();

    private static bool EndsInZeros(string file, int bytes)
    {
        using var stream = File.OpenRead(file);
        stream.Seek(-bytes, SeekOrigin.End);
        var tail = new byte[bytes];
        stream.ReadExactly(tail);
        return tail.AsSpan().IndexOfAnyExcept((byte)0) < 0;
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
