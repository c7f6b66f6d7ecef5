using System.Diagnostics;
using System.Text.RegularExpressions;
using Lagesbild.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>Each test has its own server: they cut, freeze and stop it.</summary>
[Collection(Chromium.Collection)]
public sealed class ConnectionTests(Chromium chromium, ITestOutputHelper output)
{
    private const string Lost = "Ingen kontakt sedan";
    private const string CaughtUp = "Ikapp – live";
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Long enough for the page to take it as a sleep (a 5-s tick more than 15 s late) and for its
    /// live connection to time out (30 s of silence); short enough that the age reads in seconds.
    /// </summary>
    private static readonly TimeSpan Asleep = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task The_page_says_plainly_when_its_live_connection_is_down_and_when_it_has_caught_up()
    {
        const string point = "jarva-kista";
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        await using var proxy = new LoopbackProxy(server.HttpPort);
        await using var page = await MapPage.OpenAsync(chromium.Browser, proxy.Address, output);
        await page.WaitUntilLiveAsync();

        // The network goes (a dropped VPN): the server goes on taking changes the page cannot see.
        proxy.Cut();
        await Expect(page.StatusSaying(Lost)).ToBeVisibleAsync(new() { Timeout = 5000 });
        output.WriteLine($"lost connection: {await page.ScreenshotAsync("connection-lost")}");
        await http.ChangeStatusAsync(point, "Activating");
        var seq = await http.ChangeStatusAsync(point, "Open");
        Assert.NotEqual(seq, await page.LastSeqAsync());
        await Expect(page.StatusSaying(Lost)).ToBeVisibleAsync();

        var restored = Stopwatch.StartNew();
        proxy.Restore();
        await Expect(page.StatusSaying(CaughtUp)).ToBeVisibleAsync(new() { Timeout = (float)Reconnect.TotalMilliseconds });
        output.WriteLine($"caught up {restored.ElapsedMilliseconds} ms after the network came back");
        await page.WaitForSeqAsync((await http.DigestAsync()).Seq);
        Assert.Equal("Open", (await page.PointSymbolAsync(point))?.Status);
        await Expect(page.PointRow(point)).ToHaveAttributeAsync("data-status", "Open");
        await Expect(page.StatusSaying(Lost)).ToHaveCountAsync(0);
        await Expect(page.StatusSaying(CaughtUp)).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        // The server is stopped the way an operator stops it; the page says so, and catches up once it is back.
        await server.StopAsync();
        await Expect(page.StatusSaying(Lost)).ToBeVisibleAsync(new() { Timeout = 5000 });
        Assert.NotEqual("connected", await page.ConnectionAsync());
        output.WriteLine($"server stopped: {await page.ScreenshotAsync("connection-server-stopped")}");

        await using var restarted = new ServerProcess(server.DataDirectory, httpPort: server.HttpPort);
        // Watched while the server starts: the page may join before the server reports ready, and
        // "Ikapp – live" is shown for a few seconds only.
        var starting = restarted.StartAsync();
        await Expect(page.StatusSaying(CaughtUp)).ToBeVisibleAsync(new() { Timeout = (float)(Reconnect + TimeSpan.FromSeconds(30)).TotalMilliseconds });
        await starting;
        var closed = await http.ChangeStatusAsync(point, "Closing");
        await page.WaitForSeqAsync(closed);
        Assert.Equal((await http.DigestAsync()).Seq, await page.LastSeqAsync());
        Assert.Equal("Closing", (await page.PointSymbolAsync(point))?.Status);
    }

    [Fact]
    public async Task A_page_that_was_asleep_shows_its_age_and_catches_up()
    {
        const string point = "skarpnack-centrum";
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        await using var proxy = new LoopbackProxy(server.HttpPort);
        await using var page = await MapPage.OpenAsync(chromium.Browser, proxy.Address, output, beforeLoad: p => p.Clock.InstallAsync());
        await page.WaitUntilLiveAsync();
        var before = await page.LastSeqAsync();

        // Asleep as a laptop with its lid closed: its network stops (the socket stays open, nothing
        // moves) while others change the picture, and on waking its clock has jumped and every
        // overdue timer fires at once.
        proxy.Freeze();
        await http.ChangeStatusAsync(point, "Activating");
        var seq = await http.ChangeStatusAsync(point, "Open");
        await page.Page.Clock.FastForwardAsync((long)Asleep.TotalMilliseconds);

        // Awake, still without network: the page must not pass the old picture off as live.
        var age = page.StatusSaying(new Regex(@"(visar läget från|ingen kontakt sedan) \d\d:\d\d:\d\d.*för (\d+) s sedan", RegexOptions.IgnoreCase));
        await Expect(age).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var text = await age.InnerTextAsync();
        output.WriteLine($"woke up after {Asleep.TotalSeconds:F0} s: \"{text}\" {await page.ScreenshotAsync("asleep")}");
        Assert.InRange(int.Parse(Regex.Match(text, @"för (\d+) s sedan").Groups[1].Value), (int)Asleep.TotalSeconds, 59);
        Assert.Equal(before, await page.LastSeqAsync());

        var thawed = Stopwatch.StartNew();
        proxy.Thaw();
        await Expect(page.StatusSaying(CaughtUp)).ToBeVisibleAsync(new() { Timeout = (float)Reconnect.TotalMilliseconds });
        await page.WaitForSeqAsync((await http.DigestAsync()).Seq);
        output.WriteLine($"caught up {thawed.ElapsedMilliseconds} ms after the network came back");
        Assert.Equal(seq, await page.LastSeqAsync());
        Assert.Equal("Open", (await page.PointSymbolAsync(point))?.Status);
    }

    [Fact]
    public async Task A_connection_lost_just_after_catching_up_is_still_shown_as_lost()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        await using var proxy = new LoopbackProxy(server.HttpPort);
        await using var page = await MapPage.OpenAsync(chromium.Browser, proxy.Address, output);
        await page.WaitUntilLiveAsync();
        proxy.Cut();
        await Expect(page.StatusSaying(Lost)).ToBeVisibleAsync(new() { Timeout = 5000 });
        proxy.Restore();
        await Expect(page.StatusSaying(CaughtUp)).ToBeVisibleAsync(new() { Timeout = (float)Reconnect.TotalMilliseconds });

        proxy.Cut();
        await Expect(page.StatusSaying(Lost)).ToBeVisibleAsync(new() { Timeout = 5000 });
        await Task.Delay(TimeSpan.FromSeconds(7));
        await Expect(page.StatusSaying(Lost)).ToBeVisibleAsync(new() { Timeout = 1000 });
    }

    /// <summary>
    /// The page opens its WebSocket without negotiating first, and a WebSocket refused for its
    /// token tells the page no status: it must still learn that the sign-in is over, not retry for ever.
    /// </summary>
    [Fact]
    public async Task A_page_whose_sign_in_is_withdrawn_elsewhere_leaves_the_live_picture_for_the_sign_in_screen()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, user: "sara");
        await page.WaitUntilLiveAsync();

        // Signed out on another device with the same token: every node stops accepting it and closes its live connections.
        var token = await page.Page.EvaluateAsync<string>("() => JSON.parse(sessionStorage.getItem('lagesbild.session')).token");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var signedOut = await http.PostAsync("api/sign-out", null);
        Assert.True(signedOut.IsSuccessStatusCode, $"sign-out answered {(int)signedOut.StatusCode}");

        await Expect(page.Page.GetByText("Din inloggning har gått ut. Logga in igen.")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        output.WriteLine($"sign-in screen after the token was withdrawn: {await page.ScreenshotAsync("connection-token-withdrawn")}");
        Assert.Null(await page.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('lagesbild.session')"));
        Assert.Empty(page.ScriptErrors);
    }
}
