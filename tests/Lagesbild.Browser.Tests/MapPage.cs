using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Lagesbild.Browser.Tests;

/// <summary>The symbol a trygghetspunkt is drawn with, as the page's test hook reports it.</summary>
public sealed record PointSymbol(string Shape, string Color, string Status);

/// <summary>
/// The map page in its own browser context, read through the page's test hooks
/// (<c>window.lagesbild</c>, <c>body[data-connection][data-last-seq]</c>) and what a person sees.
/// Script errors and console errors are written to the test output as they happen.
/// </summary>
public sealed class MapPage : IAsyncDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly IBrowserContext _context;
    private readonly List<string> _scriptErrors = [];

    private MapPage(IBrowserContext context, IPage page, ITestOutputHelper output)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) =>
        {
            lock (_scriptErrors)
                _scriptErrors.Add(error);
            Log(output, $"page error: {error}");
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                Log(output, $"console {message.Type}: {message.Text}");
        };
    }

    public IPage Page { get; }

    /// <summary>Uncaught exceptions in the page so far.</summary>
    public IReadOnlyList<string> ScriptErrors
    {
        get { lock (_scriptErrors) return _scriptErrors.ToArray(); }
    }

    /// <summary>
    /// Opens the page at <paramref name="address"/> (the server or a proxy in front of it) in a fresh
    /// context, signed in by the page's own development sign-in as the demo user <paramref name="user"/>
    /// (<c>?user=</c>); <paramref name="beforeLoad"/> may add init scripts or install a fake clock.
    /// </summary>
    public static Task<MapPage> OpenAsync(IBrowser browser, Uri address, ITestOutputHelper output,
        ViewportSize? viewport = null, bool phone = false, Func<IPage, Task>? beforeLoad = null, string user = "anna") =>
        OpenAtAsync(browser, address, $"?user={Uri.EscapeDataString(user)}", output, viewport, phone, beforeLoad);

    /// <summary>Opens the residents' page (<c>?view=public</c>), signed in as nobody, on a phone.</summary>
    public static Task<MapPage> OpenPublicAsync(IBrowser browser, Uri address, ITestOutputHelper output, Func<IPage, Task>? beforeLoad = null) =>
        OpenAtAsync(browser, address, "?view=public", output, Phone, phone: true, beforeLoad);

    private static async Task<MapPage> OpenAtAsync(IBrowser browser, Uri address, string query, ITestOutputHelper output,
        ViewportSize? viewport, bool phone, Func<IPage, Task>? beforeLoad)
    {
        var context = await browser.NewContextAsync(new()
        {
            ViewportSize = viewport ?? Desktop,
            IsMobile = phone,
            HasTouch = phone,
            DeviceScaleFactor = phone ? 2 : 1,
            Locale = "sv-SE",
            TimezoneId = "Europe/Stockholm",
        });
        var page = await context.NewPageAsync();
        var map = new MapPage(context, page, output);
        if (beforeLoad is not null)
            await beforeLoad(page);
        await page.GotoAsync(new Uri(address, query).ToString());
        return map;
    }

    /// <summary>Waits until the page has joined the picture and rendered it.</summary>
    public Task WaitUntilLiveAsync(TimeSpan? timeout = null) =>
        WaitForAsync("() => window.lagesbild?.connection() === 'connected' && window.lagesbild.lastSeq() > 0", timeout);

    /// <summary>Waits until the map and the lists are rendered up to exactly <paramref name="seq"/>.</summary>
    public Task WaitForSeqAsync(long seq, TimeSpan? timeout = null) =>
        WaitForAsync($"() => window.lagesbild?.lastSeq() === {seq}", timeout);

    public async Task WaitForAsync(string predicate, TimeSpan? timeout = null) =>
        await Page.WaitForFunctionAsync(predicate, null, new() { PollingInterval = 20, Timeout = (float)(timeout ?? TimeSpan.FromSeconds(15)).TotalMilliseconds });

    public Task<long> LastSeqAsync() => Page.EvaluateAsync<long>("() => window.lagesbild.lastSeq()");

    public Task<string> ConnectionAsync() => Page.EvaluateAsync<string>("() => window.lagesbild.connection()");

    public Task<int> AreaCountAsync() => Page.EvaluateAsync<int>("() => window.lagesbild.areaCount()");

    public Task<string[]> PointIdsAsync() => Page.EvaluateAsync<string[]>("() => window.lagesbild.pointIds()");

    public async Task<PointSymbol?> PointSymbolAsync(string id)
    {
        var symbol = await Page.EvaluateAsync<JsonElement?>("id => window.lagesbild.pointSymbol(id)", id);
        return symbol is { ValueKind: JsonValueKind.Object } s
            ? new PointSymbol(s.GetProperty("shape").GetString()!, s.GetProperty("color").GetString()!, s.GetProperty("status").GetString()!)
            : null;
    }

    /// <summary>The point's row in the accessible list of trygghetspunkter.</summary>
    public ILocator PointRow(string id) => Page.Locator($"li[data-point-id=\"{id}\"]");

    /// <summary>A live region (role=status) that says <paramref name="text"/>: what a screen reader announces.</summary>
    public ILocator StatusSaying(string text) => Page.GetByRole(AriaRole.Status).Filter(new() { HasText = text });

    public ILocator StatusSaying(Regex text) => Page.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = text });

    /// <summary>Saves a screenshot under <see cref="Screenshots.Folder"/> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(Screenshots.Folder, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private static void Log(ITestOutputHelper output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (InvalidOperationException)
        {
            // The test has finished; a late console message has nowhere to go.
        }
    }
}

/// <summary>Where screenshots go: TestResults/screenshots beside the test assembly, kept between runs.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots")).FullName;
}
