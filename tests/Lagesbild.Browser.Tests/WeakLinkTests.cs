using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Lagesbild.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// A district operator's phone (390×844) on a loaded mobile network, every host but the server
/// blocked: what the live picture costs in bytes (asserted) and time (reported) on a first visit
/// and on a repeat visit with the browser's cache.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class WeakLinkTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    private const long FirstVisitBytes = 250 * 1024;
    private const long RepeatVisitBytes = 30 * 1024;
    /// <summary>The demo picture's snapshot is 39 KB on the hub; the Join's answer and a few deltas are well under this.</summary>
    private const long FirstVisitSocketBytes = 8 * 1024;

    /// <summary>The live picture: joined, the snapshot rendered and every district drawn on the map.</summary>
    private static readonly string LivePicture =
        $"() => window.lagesbild?.connection() === 'connected' && window.lagesbild.lastSeq() > 0 && window.lagesbild.areaCount() === {DemoPicture.DistrictCount}";

    [Theory]
    [InlineData("Fast 3G")]
    [InlineData("Slow 3G")]
    public async Task A_phone_on_a_weak_link_gets_the_live_picture_in_few_bytes_first_and_fewer_on_a_repeat_visit(string profileName)
    {
        var profile = profileName == NetworkProfile.Slow3G.Name ? NetworkProfile.Slow3G : NetworkProfile.Fast3G;
        var server = fixture.Server.BaseAddress;
        await using var context = await chromium.Browser.NewContextAsync(new()
        {
            ViewportSize = MapPage.Phone,
            IsMobile = true,
            HasTouch = true,
            DeviceScaleFactor = 2,
            Locale = "sv-SE",
            TimezoneId = "Europe/Stockholm",
            // Every other host goes to a proxy that is not there: the page must need none.
            Proxy = new() { Server = "http://127.0.0.1:9", Bypass = server.Host },
        });
        var page = await context.NewPageAsync();
        var scriptErrors = new List<string>();
        page.PageError += (_, error) => scriptErrors.Add(error);
        var link = await WeakLink.AttachAsync(page);
        await link.EmulateAsync(profile);
        var url = new Uri(server, "?user=sara").ToString();
        // The phone's first visit, not the server's: a server in service has answered the hub and the
        // snapshot before (a cold one spends its first second on this machine's JIT and the picture's feed).
        await using (var warm = new LiveClient(server, user: "sara"))
            await warm.ConnectAsync();
        using (var http = fixture.Server.CreateClient())
            (await http.GetAsync("/api/pictures/live/snapshot")).EnsureSuccessStatusCode();

        var first = await VisitAsync(page, link, url);
        var repeat = await VisitAsync(page, link, url);
        output.WriteLine($"{profile.Name}, 390×844: first visit {first.Bytes / 1024.0:F1} KB ({first.SocketBytes / 1024.0:F1} KB of it on the live connection, " +
            $"{first.WorkerBytes / 1024.0:F1} KB by the service worker) in {first.Time.TotalSeconds:F2} s; " +
            $"repeat visit {repeat.Bytes / 1024.0:F1} KB ({repeat.SocketBytes / 1024.0:F1} KB live, {repeat.WorkerBytes / 1024.0:F1} KB service worker) in {repeat.Time.TotalSeconds:F2} s");
        output.WriteLine($"first visit asked for: {Paths(first.Urls)}");
        output.WriteLine($"repeat visit asked for: {Paths(repeat.Urls)}");
        output.WriteLine($"first visit, in time (live picture at {first.Time.TotalMilliseconds:F0} ms after the page was asked for):\n{first.Timeline}");
        output.WriteLine($"repeat visit, in time (live picture at {repeat.Time.TotalMilliseconds:F0} ms):\n{repeat.Timeline}");

        Assert.All(first.Urls.Concat(repeat.Urls), u => Assert.True(u.StartsWith("data:") || new Uri(u).Authority == server.Authority, $"asked another host: {u}"));
        Assert.InRange(first.Bytes, 1, FirstVisitBytes);
        // The picture came compressed over HTTP beside the connection's opening; the hub sent only what followed it.
        Assert.True(first.SocketBytes <= FirstVisitSocketBytes, $"{first.SocketBytes} bytes on the live connection: the snapshot came that way, uncompressed");
        Assert.InRange(repeat.Bytes, 1, RepeatVisitBytes);
        // The boot script in the page started the sign-in, the snapshot and the live connection's WebSocket before
        // the script files came (allowed by its hash), and the page took each over instead of asking again.
        Assert.Equal(1, first.Urls.Count(u => u.EndsWith("/api/dev/sign-in")));
        Assert.Equal(1, first.Urls.Count(u => u.EndsWith("/api/pictures/live/snapshot")));
        Assert.Equal(1, first.SocketOpenings);
        Assert.Equal(1, repeat.SocketOpenings);
        Assert.Equal("""{"started":true,"signIn":false,"snapshot":false,"socket":false}""", first.Boot);
        Assert.Equal("""{"started":true,"signIn":false,"snapshot":false,"socket":false}""", repeat.Boot);
        Assert.Empty(scriptErrors);
    }

    [Fact]
    public async Task A_network_that_dies_without_a_word_is_told_within_10_s_and_the_page_goes_live_again_by_itself()
    {
        const string point = "farsta-emma-hokarangen";
        using var http = fixture.Server.CreateClient();
        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await page.WaitUntilLiveAsync();
        var link = await WeakLink.AttachAsync(page.Page);

        // The phone loses its network: no reset, no close, nothing more arrives.
        var died = DateTimeOffset.Now;
        var silent = Stopwatch.StartNew();
        await link.GoOfflineAsync();
        var lost = page.StatusSaying(new Regex(@"Ingen kontakt sedan (\d\d):(\d\d):(\d\d)"));
        await Expect(lost).ToBeVisibleAsync(new() { Timeout = 10_000 });
        var told = silent.Elapsed;
        var text = await lost.InnerTextAsync();
        output.WriteLine($"told {told.TotalSeconds:F1} s after the network died: \"{text}\" {await page.ScreenshotAsync("phone-no-contact")}");
        // The time said is when the server was last heard from: not after the network died.
        var said = Regex.Match(text, @"sedan (\d\d):(\d\d):(\d\d)").Groups;
        var lastContact = new TimeSpan(int.Parse(said[1].Value), int.Parse(said[2].Value), int.Parse(said[3].Value));
        var stockholm = TimeZoneInfo.ConvertTime(died, TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm")).TimeOfDay;
        Assert.True(lastContact <= stockholm + TimeSpan.FromSeconds(1), $"last contact {lastContact} said to be after the network died at {stockholm}");
        Assert.NotEqual("connected", await page.ConnectionAsync());

        // Meanwhile the picture changes; when the network returns the page catches up by itself.
        var seq = await http.ChangeStatusAsync(point, "Activating");
        await link.GoOnlineAsync();
        await Expect(page.StatusSaying("Ikapp – live")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.WaitForSeqAsync(seq);
        await Expect(page.PointRow(point)).ToHaveAttributeAsync("data-status", "Activating");
        Assert.Equal("Activating", (await page.PointSymbolAsync(point))?.Status);
        Assert.Empty(page.ScriptErrors);
    }

    private static string Paths(IEnumerable<string> urls) =>
        string.Join(", ", urls.Where(u => !u.StartsWith("data:")).Select(u => new Uri(u).PathAndQuery));

    private sealed record Visit(long Bytes, long SocketBytes, long SocketOpenings, long WorkerBytes, TimeSpan Time, IReadOnlyList<string> Urls, string Timeline, string Boot);

    /// <summary>Whether the page's boot script ran, and which of what it started is still waiting to be taken over.</summary>
    private const string BootLeft = """
        () => JSON.stringify({ started: window.lagesbildBoot !== undefined, signIn: !!window.lagesbildBoot?.signIn,
          snapshot: !!window.lagesbildBoot?.snapshot, socket: !!window.lagesbildBoot?.socket })
        """;

    private static async Task<Visit> VisitAsync(IPage page, WeakLink link, string url)
    {
        link.Reset();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.WaitForFunctionAsync(LivePicture, null, new() { PollingInterval = 20, Timeout = 60_000 });
        var time = clock.Elapsed;
        // What the picture fetches once it is shown (the person's permissions) and what the service
        // worker keeps for a start with no network belong to the visit too.
        await page.EvaluateAsync("() => navigator.serviceWorker.ready");
        // Not "network idle": the page's live connection and periodic asks never leave it idle for long on a slow link.
        for (var waited = Stopwatch.StartNew(); !link.Urls.Any(u => u.EndsWith("/permissions")) && waited.Elapsed < TimeSpan.FromSeconds(30);)
            await Task.Delay(100);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var boot = await page.EvaluateAsync<string>(BootLeft);
        return new Visit(link.ReceivedBytes, link.SocketBytes, link.SocketOpenings, link.WorkerBytes, time, link.Urls, link.Timeline(), boot);
    }
}
