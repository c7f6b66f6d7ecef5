using System.Net;
using Lagesbild.IdentityProvider;
using Lagesbild.Testing;

namespace Lagesbild.Access.Tests;

/// <summary>
/// Lagesbild against a real OpenID Connect provider on loopback (tests/Lagesbild.IdentityProvider).
/// Settings wrong as written refuse the start; what only the network can tell (the provider down,
/// or answering as another issuer) leaves the node running but not ready, saying why.
/// </summary>
public sealed class ProviderSetupTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("Lagesbild:Auth:Authority", "login.stockholm.se", "Lagesbild:Auth:Authority ska vara identitetsleverantörens adress")]
    [InlineData("Lagesbild:Auth:RequireHttpsMetadata", "true", "använder http")]
    [InlineData("Lagesbild:Auth:Audience", "", "Lagesbild:Auth:Audience saknas")]
    [InlineData("Lagesbild:Auth:ClientId", " ", "Lagesbild:Auth:ClientId saknas")]
    [InlineData("Lagesbild:Auth:Scope", "profile lagesbild", "Lagesbild:Auth:Scope ska innehålla openid")]
    public async Task Provider_settings_that_cannot_work_refuse_the_start_and_name_the_setting(string setting, string value, string said)
    {
        var settings = ServerProcess.TrustingProvider(new Uri($"http://127.0.0.1:{Ports.Free()}/"));
        settings[setting] = value;
        await using var server = new ServerProcess(settings: settings);

        var exitCode = await server.RunUntilExitAsync();

        output.WriteLine($"{setting}={value}: exit {exitCode}\n{server.Output}");
        Assert.NotEqual(0, exitCode);
        Assert.Contains(said, server.Output);
    }

    [Fact]
    public async Task A_provider_that_is_down_at_start_leaves_the_node_not_ready_saying_why_until_it_answers_then_its_tokens_sign_in()
    {
        var providerPort = Ports.Free();
        var authority = new Uri($"http://127.0.0.1:{providerPort}/");
        await using var server = new ServerProcess(settings: ServerProcess.TrustingProvider(authority));
        await server.StartAsync(untilReady: false);
        using var anonymous = server.CreateClientWithToken(null);

        var down = await WaitForReadinessAsync(anonymous, body => body.Contains("går inte att nå"));
        output.WriteLine($"provider down: {down}");
        Assert.Contains("Inloggningen fungerar inte", down);
        Assert.Contains($"Sign-in is not available, the node is not ready: Identitetsleverantören går inte att nå på {authority}.well-known/openid-configuration", server.Output);

        await using var provider = await DemoProvider.StartAsync(new DemoProviderSettings { Port = providerPort, RedirectUris = [server.BaseAddress.ToString()] });
        var up = await WaitForReadinessAsync(anonymous, body => body == "Healthy");
        output.WriteLine($"provider up: {up}");
        using var sara = server.CreateClientWithToken((await provider.SignInAsync("sara")).AccessToken);
        var me = await sara.GetStringAsync("api/me");
        output.WriteLine($"/api/me with the provider's token: {me}");
        Assert.Contains("\"role\":\"district\"", me);
        Assert.Contains("\"district\":\"farsta\"", me);
        Assert.Contains("\"name\":\"Sara Ek\"", me);
    }

    [Fact]
    public async Task A_provider_that_names_itself_another_issuer_leaves_the_node_not_ready_saying_so()
    {
        var port = Ports.Free();
        // The classic slip: the provider's issuer is its public name, the setting another name for the same host.
        await using var provider = await DemoProvider.StartAsync(new DemoProviderSettings { Port = port, Issuer = $"http://localhost:{port}/" });
        await using var server = new ServerProcess(settings: ServerProcess.TrustingProvider(provider.Address));
        await server.StartAsync(untilReady: false);
        using var anonymous = server.CreateClientWithToken(null);

        var said = await WaitForReadinessAsync(anonymous, body => body.Contains("uppger sig vara"));

        output.WriteLine(said);
        Assert.Contains($"uppger sig vara \"http://localhost:{port}/\", inte den inställda Lagesbild:Auth:Authority \"{provider.Address}\"", said);
        Assert.Contains("Sign-in is not available", server.Output);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_and_the_log_names_the_audience_setting()
    {
        await using var provider = await DemoProvider.StartAsync(new DemoProviderSettings { Port = Ports.Free() });
        await using var server = new ServerProcess(settings: ServerProcess.TrustingProvider(provider.Authority, audience: "lagesbild-stage"));
        await server.StartAsync();
        using var sara = server.CreateClientWithToken((await provider.SignInAsync("sara")).AccessToken);

        var response = await sara.GetAsync("api/me");

        output.WriteLine($"{(int)response.StatusCode} {response.Headers.WwwAuthenticate}\n{server.Output}");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("A token was refused because it was not issued for Lagesbild:Auth:Audience (lagesbild-stage)", server.Output);
    }

    [Fact]
    public async Task A_renewed_token_is_accepted_and_signing_out_ends_the_one_presented()
    {
        await using var provider = await DemoProvider.StartAsync(new DemoProviderSettings { Port = Ports.Free() });
        await using var server = new ServerProcess(settings: ServerProcess.TrustingProvider(provider.Authority));
        await server.StartAsync();
        var signedIn = await provider.SignInAsync("lena");
        Assert.NotNull(signedIn.RefreshToken);

        var renewed = await provider.RefreshAsync(signedIn.RefreshToken!);
        using var lena = server.CreateClientWithToken(renewed.AccessToken);
        Assert.Contains("\"role\":\"sector\"", await lena.GetStringAsync("api/me"));
        Assert.Equal(HttpStatusCode.NoContent, (await lena.PostAsync("api/sign-out", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await lena.GetAsync("api/me")).StatusCode);
    }

    /// <summary>/health/ready's answer once it satisfies <paramref name="wanted"/> (the checks run again on each request).</summary>
    private static async Task<string> WaitForReadinessAsync(HttpClient http, Func<string, bool> wanted)
    {
        var last = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            var response = await http.GetAsync("health/ready");
            last = await response.Content.ReadAsStringAsync();
            if (wanted(last))
                return last;
        }
        throw new TimeoutException($"/health/ready never said what was expected; last: {last}");
    }
}
