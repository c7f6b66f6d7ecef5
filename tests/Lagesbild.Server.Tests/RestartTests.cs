using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;

namespace Lagesbild.Server.Tests;

public sealed class RestartTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_restart_keeps_the_picture_and_the_loggbok(bool killed)
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        await http.ChangeStatusAsync("skarholmen-masholmstorget", "Activating");
        var last = await http.ChangeStatusAsync("skarholmen-masholmstorget", "Limited", limitations: "Ingen varm mat");
        var before = await http.DigestAsync();
        var logBefore = await http.GetStringAsync("api/pictures/live/log?entity=SafetyPoint/skarholmen-masholmstorget");

        if (killed)
            server.Kill();
        else
            await server.StopAsync();
        await server.StartAsync();

        Assert.Equal(before, await http.DigestAsync());
        Assert.Equal(logBefore, await http.GetStringAsync("api/pictures/live/log?entity=SafetyPoint/skarholmen-masholmstorget"));
        var snapshot = await http.GetFromJsonAsync<JsonElement>("api/pictures/live/snapshot");
        Assert.Equal(last, snapshot.GetProperty("seq").GetInt64());
        var point = snapshot.GetProperty("entities").EnumerateArray().Single(e => e.GetProperty("id").GetString() == "skarholmen-masholmstorget");
        Assert.Equal("Limited", point.GetProperty("state").GetProperty("status").GetString());

        // The loggbok continues where it was: the next change gets the next number, and the
        // seeding that runs at every start added nothing.
        Assert.Equal(last + 1, await http.ChangeStatusAsync("skarholmen-masholmstorget", "Open"));
    }
}
