using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lagesbild.Access.Tests;

/// <summary>
/// A token ends when its holder signs out, and every token of a person ends when central
/// krisledning revokes them: refused on HTTP from then on, and their open live connections
/// closed at once. On a server of its own, since revoked people stay revoked.
/// </summary>
public sealed class RevocationTests(RevocationServer fixture, ITestOutputHelper output) : IClassFixture<RevocationServer>
{
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_signed_out_token_is_refused_on_http_and_its_hub_connection_closed()
    {
        var signedOut = DevTokens.Issue(fixture.Server.BaseAddress, "sara");
        var otherSession = DevTokens.Issue(fixture.Server.BaseAddress, "sara");
        await using var map = await ConnectAsync(signedOut);
        await using var otherMap = await ConnectAsync(otherSession);
        var closed = Closed(map);
        using var holder = fixture.Server.CreateClientWithToken(signedOut);
        using var otherHolder = fixture.Server.CreateClientWithToken(otherSession);

        using var signOut = await holder.PostAsync("api/sign-out", null);
        output.WriteLine($"sign-out: {(int)signOut.StatusCode}, Cache-Control: {signOut.Headers.CacheControl}");
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        await closed.WaitAsync(Promptly);

        var afterwards = await Answer.OfAsync(await holder.GetAsync("api/pictures/live/snapshot"));
        await using var again = new LiveClient(fixture.Server.BaseAddress, reconnect: false, token: signedOut);
        var reconnect = await again.ConnectStatusAsync();
        var other = (int)(await otherHolder.GetAsync("api/pictures/live/snapshot")).StatusCode;
        output.WriteLine($"signed-out token: snapshot {afterwards.Status} \"{afterwards.Detail}\", hub {reconnect}; the same person's other session: snapshot {other}, map {otherMap.State}");

        Assert.Equal(401, afterwards.Status);
        Assert.False(string.IsNullOrWhiteSpace(afterwards.Detail));
        Assert.Equal(401, reconnect);
        Assert.Equal(200, other);
        Assert.Equal(HubConnectionState.Connected, otherMap.State);
    }

    [Fact]
    public async Task Central_revoking_a_person_closes_their_connections_and_leaves_others_alone()
    {
        var omarMapToken = DevTokens.Issue(fixture.Server.BaseAddress, "omar");
        var omarHttpToken = DevTokens.Issue(fixture.Server.BaseAddress, "omar");
        var lenaToken = DevTokens.Issue(fixture.Server.BaseAddress, "lena");
        await using var omarMap = await ConnectAsync(omarMapToken);
        await using var lenaMap = await ConnectAsync(lenaToken);
        var omarClosed = Closed(omarMap);
        using var omar = fixture.Server.CreateClientWithToken(omarHttpToken);
        using var lena = fixture.Server.CreateClientWithToken(lenaToken);

        using var revoke = await fixture.Central.PostAsJsonAsync("api/revocations", new { person = "dev:omar" });
        var revoked = await revoke.Content.ReadFromJsonAsync<JsonElement>();
        output.WriteLine($"revoke dev:omar: {(int)revoke.StatusCode} {revoked}");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await omarClosed.WaitAsync(Promptly);

        var omarHttp = (int)(await omar.GetAsync("api/pictures/live/snapshot")).StatusCode;
        var lenaHttp = (int)(await lena.GetAsync("api/pictures/live/snapshot")).StatusCode;
        output.WriteLine($"omar's other token: {omarHttp}; lena: {lenaHttp}, her map {lenaMap.State}");
        Assert.Equal(401, omarHttp);
        Assert.Equal(200, lenaHttp);
        Assert.Equal(HubConnectionState.Connected, lenaMap.State);
        Assert.Equal("dev:omar", revoked.GetProperty("person").GetString());
    }

    [Theory]
    [InlineData("""{"person":""}""")]
    [InlineData("""{"person":null}""")]
    [InlineData("""{"person":"dev:sara\u0000"}""")]
    [InlineData("""{}""")]
    public async Task A_revocation_without_a_clear_person_is_refused_and_ends_nobody(string body)
    {
        using var answer = await fixture.Central.SendJsonAsync("POST", "api/revocations", body);
        using var saraClient = fixture.Server.CreateClient("sara");
        var sara = (int)(await saraClient.GetAsync("api/pictures/live/snapshot")).StatusCode;
        output.WriteLine($"{body}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}; sara afterwards {sara}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal(200, sara);
    }

    private async Task<LiveClient> ConnectAsync(string token)
    {
        var client = new LiveClient(fixture.Server.BaseAddress, reconnect: false, token: token);
        await client.ConnectAsync();
        return client;
    }

    private static Task Closed(LiveClient client)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }
}

/// <summary>
/// The access matrix for signing out and revoking: everyone may end their own token; only
/// central krisledning may revoke a person. On the shared server: it ends only tokens of its own.
/// </summary>
[Collection(AccessServerCollection.Name)]
public sealed class RevocationAccessTests(AccessServer fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Everyone_may_sign_out_and_only_central_krisledning_may_revoke_a_person()
    {
        var rows = new List<string> { $"{"user",-10} {"sign-out",8} {"revoke",6}  detail" };
        var failures = new List<string>();
        foreach (var user in DemoUser.All)
        {
            using var http = fixture.Server.CreateClientWithToken(DevTokens.Issue(fixture.Server.BaseAddress, user.Id));
            // Nobody is called dev:ingen: revoking them ends no test's token.
            var revoke = await Answer.OfAsync(await http.PostAsJsonAsync("api/revocations", new { person = "dev:ingen" }));
            var signOut = (int)(await http.PostAsync("api/sign-out", null)).StatusCode;
            rows.Add($"{user.Id,-10} {signOut,8} {revoke.Status,6}  {revoke.Detail}");
            var mayRevoke = user.Role == "central";
            if (signOut != 204)
                failures.Add($"{user.Id}: sign-out answered {signOut}");
            if (revoke.Status != (mayRevoke ? 200 : 403))
                failures.Add($"{user.Id}: revoking answered {revoke.Status}, expected {(mayRevoke ? 200 : 403)}");
            if (!mayRevoke && string.IsNullOrWhiteSpace(revoke.Detail))
                failures.Add($"{user.Id}: refused to revoke without a reason");
        }
        using var anonymous = fixture.Server.CreateClientWithToken(null);
        var anonymousRevoke = (int)(await anonymous.PostAsJsonAsync("api/revocations", new { person = "dev:sara" })).StatusCode;
        rows.Add($"{"(no token)",-10} {(int)(await anonymous.PostAsync("api/sign-out", null)).StatusCode,8} {anonymousRevoke,6}");
        // Nobody's refused attempt ended sara's sessions.
        using var saraClient = fixture.Server.CreateClient("sara");
        var sara = (int)(await saraClient.GetAsync("api/pictures/live/snapshot")).StatusCode;
        output.WriteLine(string.Join('\n', rows) + $"\nsara afterwards: {sara}");
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(401, anonymousRevoke);
        Assert.Equal(200, sara);
    }
}
