using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lagesbild.IdentityProvider;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// The page against a real OpenID Connect provider on loopback (OpenIddict, tests/Lagesbild.IdentityProvider):
/// sign-in with code + PKCE, renewal with the refresh token, sign-out at Lagesbild and the provider.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class ProviderSignInTests(Chromium chromium, ITestOutputHelper output)
{
    /// <summary>Short, so that the test outlives the first token; long enough for a sign-in by a test browser.</summary>
    private const int AccessTokenSeconds = 75;

    [Fact]
    public async Task A_person_signs_in_at_the_provider_stays_live_past_the_first_tokens_expiry_without_signing_in_again_and_signs_out()
    {
        var lagesbildPort = Ports.Free();
        var page0 = new Uri($"http://127.0.0.1:{lagesbildPort}/");
        await using var provider = await DemoProvider.StartAsync(new DemoProviderSettings
        {
            Port = Ports.Free(), RedirectUris = [page0.ToString()], AccessTokenLifetimeSeconds = AccessTokenSeconds,
        });
        await using var server = new ServerProcess(httpPort: lagesbildPort, settings: ServerProcess.TrustingProvider(provider.Authority));
        await server.StartAsync();

        // Sign-in: the page sends the browser to the provider, Sara picks herself, the provider sends her back.
        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, user: "");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Logga in med ditt konto i Stockholms stad" }).ClickAsync();
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sara Ek" }).ClickAsync();
        await page.WaitUntilLiveAsync();
        await Expect(page.Page.GetByText(new Regex("Inloggad som Sara Ek"))).ToBeVisibleAsync();
        Assert.Equal("district", await page.Page.EvaluateAsync<string>("() => window.lagesbild.user().role"));
        Assert.Equal(1, provider.LoginFormsShown);
        var first = await SessionTokenAsync(page);
        var firstExpires = Expiry(first);
        output.WriteLine($"signed in; first token expires {firstExpires:HH:mm:ss} ({AccessTokenSeconds} s)");

        // Renewal: the page asks the provider with its refresh token, before the first token runs out.
        await page.WaitForAsync($"() => JSON.parse(sessionStorage.getItem('lagesbild.session')).token !== '{first}'", TimeSpan.FromSeconds(AccessTokenSeconds));
        var renewal = Assert.Single(provider.TokenRequests, r => r.GrantType == "refresh_token");
        output.WriteLine($"renewed with the refresh token at {renewal.At:HH:mm:ss}, {(firstExpires - renewal.At).TotalSeconds:F0} s before the first token ran out");
        Assert.True(renewal.At < firstExpires, "the page renewed only after its token had run out");

        // Past the first token's end (and the server's clock skew): the server refuses it, the page goes on.
        var pastFirst = firstExpires + TimeSpan.FromSeconds(31) - DateTimeOffset.UtcNow;
        if (pastFirst > TimeSpan.Zero)
            await Task.Delay(pastFirst);
        using (var withFirst = server.CreateClientWithToken(first))
            Assert.Equal(HttpStatusCode.Unauthorized, (await withFirst.GetAsync("api/me")).StatusCode);
        await page.WaitUntilLiveAsync();
        using var anna = server.CreateClientWithToken((await provider.SignInAsync("anna")).AccessToken);
        var seq = await anna.ReportWaterAsync("farsta-emma-hokarangen", 120);
        await page.WaitForSeqAsync(seq);
        Assert.Equal("operators", await page.Page.EvaluateAsync<string>("() => document.body.dataset.view"));
        // A reload goes on with the renewed session: no sign-in screen, no login form.
        await page.Page.ReloadAsync();
        await page.WaitUntilLiveAsync();
        Assert.Equal(1, provider.LoginFormsShown);
        output.WriteLine($"live at seq {seq} past the first token's end, {await page.ScreenshotAsync("provider-renewed")}");

        // Sign-out: Lagesbild ends the token, the provider its session and the refresh token.
        var last = await SessionTokenAsync(page);
        var lastRefresh = await page.Page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('lagesbild.session')).refreshToken");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await Expect(page.Page.GetByText("Du är utloggad.")).ToBeVisibleAsync();
        Assert.Equal(1, provider.EndSessions);
        using (var withLast = server.CreateClientWithToken(last))
            Assert.Equal(HttpStatusCode.Unauthorized, (await withLast.GetAsync("api/me")).StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => provider.RefreshAsync(lastRefresh));
        // The provider's own session is over too: signing in again asks who you are.
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Logga in med ditt konto i Stockholms stad" }).ClickAsync();
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Sara Ek" })).ToBeVisibleAsync();
        Assert.Equal(2, provider.LoginFormsShown);
        Assert.Empty(page.ScriptErrors);
    }

    [Fact]
    public async Task When_the_provider_cannot_be_reached_the_sign_in_page_says_so_in_Swedish()
    {
        var nobody = new Uri($"http://127.0.0.1:{Ports.Free()}/");
        await using var server = new ServerProcess(settings: ServerProcess.TrustingProvider(nobody));
        await server.StartAsync(untilReady: false);

        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, user: "");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Logga in med ditt konto i Stockholms stad" }).ClickAsync();

        await Expect(page.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Inloggningstjänsten går inte att nå just nu");
        output.WriteLine(await page.ScreenshotAsync("provider-unreachable"));
    }

    private static Task<string> SessionTokenAsync(MapPage page) =>
        page.Page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('lagesbild.session')).token");

    private static DateTimeOffset Expiry(string jwt)
    {
        var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var json = JsonDocument.Parse(Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='))).RootElement;
        return DateTimeOffset.FromUnixTimeSeconds(json.GetProperty("exp").GetInt64());
    }
}
