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
                ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing", "loading", "toplevel" },
            },
        });
        return trace;
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
