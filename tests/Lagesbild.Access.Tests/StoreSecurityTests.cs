using System.Text;
using System.Text.Json.Nodes;

namespace Lagesbild.Access.Tests;

/// <summary>
/// The embedded store listens on loopback, where every process on the host can reach it: it
/// answers only a client that knows the password, and it never holds the key that signs
/// development tokens (anything that reads the store could otherwise forge them).
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class StoreSecurityTests(AccessServer fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task The_embedded_store_refuses_a_client_that_does_not_know_its_password()
    {
        string[][] attempts =
        [
            ["GET", "lagesbild:dev-signing-key"],
            ["KEYS", "*"],
            ["SCAN", "0"],
            ["SET", "lagesbild:probe", "1"],
            ["EVAL", "return redis.call('DBSIZE')", "0"],
            ["AUTH", "gissat-losenord"],
            ["AUTH", "default", "gissat-losenord"],
        ];
        var failures = new List<string>();
        foreach (var command in attempts)
        {
            var answer = await RawStore.FirstLineAsync(fixture.StorePort, command);
            output.WriteLine($"{string.Join(' ', command)} → {answer}");
            if (!answer.StartsWith('-'))
                failures.Add($"{string.Join(' ', command)} was answered {answer}");
            else if (command[0] != "AUTH" && !answer.Contains("NOAUTH", StringComparison.OrdinalIgnoreCase))
                failures.Add($"{string.Join(' ', command)} was refused, but not for want of authentication: {answer}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        // The server itself still reads and writes.
        Assert.True((await fixture.Central.GetAsync("health/ready")).IsSuccessStatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_development_signing_key_is_kept_in_an_owner_only_file_and_never_in_the_store()
    {
        var key = fixture.SigningKey;
        var mode = File.GetUnixFileMode(fixture.KeyFile);
        output.WriteLine($"{fixture.KeyFile}: {mode}");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);

        // Everything the store keeps is in its append-only file and checkpoints: a written
        // value shows up there. A change with a text of its own proves the scan sees writes.
        var marker = "Kontroll " + Guid.NewGuid().ToString("N");
        var answer = await new CommandRequest("SetDistrictSituation", "farsta", "PUT", "districts/farsta/situation",
            new JsonObject { ["situation"] = "Strained", ["reason"] = marker }).SendAsync(fixture.Central);
        Assert.True(answer.Accepted, $"{answer.Status} {answer.Detail}");
        var stored = Path.Combine(fixture.Server.DataDirectory, "data");
        byte[][] files = [];
        for (var attempt = 0; attempt < 300 && !files.Any(f => Contains(f, Encoding.UTF8.GetBytes(marker))); attempt++)
        {
            if (attempt > 0)
                await Task.Delay(100);
            files = Directory.EnumerateFiles(stored, "*", SearchOption.AllDirectories)
                .Where(path => path != fixture.KeyFile)
                .Select(ReadShared)
                .ToArray();
        }
        output.WriteLine($"{files.Length} files, {files.Sum(f => f.Length)} bytes in {stored} besides the key file");
        Assert.Contains(files, f => Contains(f, Encoding.UTF8.GetBytes(marker)));

        foreach (var (form, bytes) in new[] { ("base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(key))), ("raw", key) })
            Assert.False(files.Any(f => Contains(f, bytes)), $"the signing key ({form}) is in the store's files");
    }

    private static byte[] ReadShared(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        file.CopyTo(copy);
        return copy.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
