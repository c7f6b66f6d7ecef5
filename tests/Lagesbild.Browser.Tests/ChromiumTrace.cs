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

    public static async Task<ChromiumTrace> StartAsync(IPage page)
    {
        var trace = new ChromiumTrace(await page.Context.NewCDPSessionAsync(page));
        await trace._session.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object>
            {
                // The CPU profiler's samples name the script functions inside each long task.
                ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing", "loading", "toplevel", "disabled-by-default-v8.cpu_profiler" },
            },
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

    /// <summary>Ends the trace and writes it to <paramref name="path"/> in the format DevTools loads.</summary>
    public async Task StopAsync(string path)
    {
        await _session.SendAsync("Tracing.end");
        await _complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var file = File.Create(path);
        lock (_events)
            JsonSerializer.Serialize(file, new { traceEvents = _events });
    }
}
