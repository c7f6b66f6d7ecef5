using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Server.Tests;

/// <summary>One person, or one address, can hold only so many live connections; the one over the cap is told so before any WebSocket opens.</summary>
public sealed class ConnectionCapTests(ITestOutputHelper output)
{
    private const int PerPerson = 3;
    private const int PerAddress = 5;

    [Fact]
    public async Task Connections_over_the_cap_per_person_or_address_get_429_and_a_closed_one_makes_room()
    {
        await using var server = new ServerProcess(settings: new Dictionary<string, string>
        {
            ["Lagesbild:Live:MaxConnectionsPerPerson"] = PerPerson.ToString(),
            ["Lagesbild:Live:MaxConnectionsPerAddress"] = PerAddress.ToString(),
        });
        await server.StartAsync();
        using var http = server.CreateClient();
        var open = new List<LiveClient>();
        try
        {
            // Anna up to her cap; her next connection is refused before it becomes a WebSocket.
            for (var i = 0; i < PerPerson; i++)
                open.Add(await ConnectedAsync(server, "anna"));
            await using (var fourth = new LiveClient(server.BaseAddress, reconnect: false, user: "anna"))
                Assert.Contains("429", (await Assert.ThrowsAnyAsync<Exception>(fourth.ConnectAsync)).ToString());
            var (handshake, handshakeBody) = await HandshakeAsync(server, "anna");
            var (negotiate, negotiateBody) = await NegotiateAsync(server, "anna");
            output.WriteLine($"anna's 4th: WebSocket handshake {handshake} {handshakeBody}; negotiate {negotiate} {negotiateBody}");
            Assert.Equal(429, handshake);
            Assert.Equal(429, negotiate);
            Assert.Contains("högst 3 per person", handshakeBody.GetProperty("detail").GetString());
            Assert.Equal("För många livekopplingar", negotiateBody.GetProperty("title").GetString());

            // Sara fills the address; Per, with none of his own, is refused for the address.
            open.Add(await ConnectedAsync(server, "sara"));
            open.Add(await ConnectedAsync(server, "sara"));
            var (perStatus, perBody) = await HandshakeAsync(server, "per");
            output.WriteLine($"per at a full address: {perStatus} {perBody}");
            Assert.Equal(429, perStatus);
            Assert.Contains("högst 5 per adress", perBody.GetProperty("detail").GetString());

            var stats = await http.GetFromJsonAsync<JsonElement>("api/live/stats");
            output.WriteLine(stats.GetProperty("caps").ToString());
            var caps = stats.GetProperty("caps");
            Assert.Equal(PerPerson, caps.GetProperty("maxPerPerson").GetInt32());
            Assert.Equal(PerAddress, caps.GetProperty("maxPerAddress").GetInt32());
            Assert.Equal(new Dictionary<string, int> { ["anna"] = 3, ["sara"] = 2 }, Counts(caps, "topPersons"));
            Assert.Equal(new Dictionary<string, int> { ["127.0.0.1"] = 5 }, Counts(caps, "topAddresses"));

            // One of Anna's maps closes: its place is given back, and Per gets in.
            await open[0].DisposeAsync();
            open.RemoveAt(0);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Counts((await http.GetFromJsonAsync<JsonElement>("api/live/stats")).GetProperty("caps"), "topPersons").GetValueOrDefault("anna") != 2 && DateTime.UtcNow < deadline)
                await Task.Delay(100);
            open.Add(await ConnectedAsync(server, "per"));

            var after = (await http.GetFromJsonAsync<JsonElement>("api/live/stats")).GetProperty("caps");
            Assert.Equal(new Dictionary<string, int> { ["anna"] = 2, ["sara"] = 2, ["per"] = 1 }, Counts(after, "topPersons"));
            Assert.Equal(new Dictionary<string, int> { ["127.0.0.1"] = 5 }, Counts(after, "topAddresses"));
        }
        finally
        {
            foreach (var client in open)
                await client.DisposeAsync();
        }
    }

    private static async Task<LiveClient> ConnectedAsync(ServerProcess server, string user)
    {
        var client = new LiveClient(server.BaseAddress, reconnect: false, user: user);
        await client.ConnectAsync();
        return client;
    }

    /// <summary>The counts by person or address; a person by the demo user's name, whatever the sign-in puts before it in <c>sub</c>.</summary>
    private static Dictionary<string, int> Counts(JsonElement caps, string list) =>
        caps.GetProperty(list).EnumerateArray().ToDictionary(c => list == "topPersons" ? c.GetProperty("key").GetString()!.Split(':')[^1] : c.GetProperty("key").GetString()!, c => c.GetProperty("connections").GetInt32());

    /// <summary>The request a browser's WebSocket starts with, as plain HTTP so the refusal's body can be read.</summary>
    private static async Task<(int Status, JsonElement Body)> HandshakeAsync(ServerProcess server, string user)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "hubs/picture?access_token=" + Uri.EscapeDataString(server.SignIn(user)));
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<(int Status, JsonElement Body)> NegotiateAsync(ServerProcess server, string user)
    {
        using var http = server.CreateClient(user);
        using var response = await http.PostAsync("hubs/picture/negotiate?negotiateVersion=1", null);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }
}
