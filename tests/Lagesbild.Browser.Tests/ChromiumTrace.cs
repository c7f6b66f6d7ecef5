using System.Text.Json;
using Microsoft.Playwright;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// Chromium's performance trace of one page (what DevTools' Performance panel records), taken over the DevTools
/// protocol: where the main thread's time goes (scripts, style, layout, paint) while a test measures something.
/// </summary>
public sealed class ChromiumTrace
{
    private readonly ICDPSession _session;
    private readonly List<JsonElement> _events = [];
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChromiumTrace(ICDPSession session)
    {
        _session = session;
        session.Event("Tracing.dataCollected").OnEvent += (_, data) =>
        {
            if (data?.TryGetProperty("value", out var value) == true)
                lock (_events)
                    _events.AddRange(value.EnumerateArray().Select(e => e.Clone()));
        };
        session.Event("Tracing.tracingComplete").OnEvent += (_, _) => _complete.TrySetResult();
    }

    /// <summary>
    /// What DevTools' Performance panel records and more: the CPU profiler's samples name the script functions inside
    /// each long task; the frame, cc, viz and gpu categories follow each frame through the compositor and the display
    /// (and tell which were dropped: <see cref="FrameTimeline"/>). A trace covers every process of the browser.
    /// </summary>
    public static readonly string[] FullCategories =
    [
        "devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame",
        "v8.execute", "v8.gc", "blink", "blink.user_timing", "loading", "toplevel", "cc", "viz", "gpu", "benchmark",
        "disabled-by-default-v8.cpu_profiler",
    ];

    /// <summary>Starts tracing the browser, with <paramref name="categories"/> (default: <see cref="FullCategories"/>).</summary>
    public static async Task<ChromiumTrace> StartAsync(IPage page, IReadOnlyList<string>? categories = null)
    {
        var trace = new ChromiumTrace(await page.Context.NewCDPSessionAsync(page));
        await trace._session.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = categories ?? FullCategories },
        });
        return trace;
    }

    /// <summary>
    /// Starts a trace when LAGESBILD_TRACE_DIR names a folder (the measuring tests call this around what they
    /// measure); it is written there as <paramref name="name"/>.json by <see cref="StopIfStartedAsync"/>.
    /// </summary>
    public static async Task<ChromiumTrace?> StartIfAskedAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("LAGESBILD_TRACE_DIR");
        if (string.IsNullOrEmpty(folder))
            return null;
        Directory.CreateDirectory(folder);
        var trace = await StartAsync(page);
        trace._path = Path.Combine(folder, $"{name}.json");
        return trace;
    }

    private string? _path;

    /// <summary>Ends a trace begun by <see cref="StartIfAskedAsync"/> and writes it; returns where.</summary>
    public async Task<string> StopIfStartedAsync()
    {
        await StopAsync(_path ?? throw new InvalidOperationException("not started by StartIfAskedAsync"));
        return _path;
    }

    /// <summary>The events recorded so far (all of them once stopped).</summary>
    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            lock (_events)
                return [.. _events];
        }
    }

    /// <summary>Ends the trace; with a <paramref name="path"/>, writes it there in the format DevTools loads.</summary>
    public async Task StopAsync(string? path = null)
    {
        await _session.SendAsync("Tracing.end");
        await _complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (path is null)
            return;
        await using var file = File.Create(path);
        JsonSerializer.Serialize(file, new { traceEvents = Events });
    }
}
