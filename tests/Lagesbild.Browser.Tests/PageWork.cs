using System.Text.Json;
using Microsoft.Playwright;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// How much work a page did between two moments, by Chromium's own counters: its main thread's tasks, and the
/// script, style and layout in them (DevTools protocol Performance.getMetrics, wall-clock time, so a busy machine
/// stretches them), and the CPU time of the browser's renderer and GPU processes (SystemInfo.getProcessInfo: what a
/// busy machine does not stretch). Far lighter than a trace, so a measuring test prints it in every run: it tells a
/// frame missed for the page's own work from one missed because the machine gave the page no time.
/// </summary>
public sealed class PageWork
{
    private readonly ICDPSession _page;
    private readonly ICDPSession _browser;
    private readonly Dictionary<string, double> _start;
    private readonly Dictionary<string, double> _startCpu;

    private PageWork(ICDPSession page, ICDPSession browser, Dictionary<string, double> start, Dictionary<string, double> startCpu)
    {
        _page = page;
        _browser = browser;
        _start = start;
        _startCpu = startCpu;
    }

    public static async Task<PageWork> StartAsync(IPage page, IBrowser browser)
    {
        var session = await page.Context.NewCDPSessionAsync(page);
        var browserSession = await browser.NewBrowserCDPSessionAsync();
        await session.SendAsync("Performance.enable");
        return new PageWork(session, browserSession, await MetricsAsync(session), await ProcessCpuAsync(browserSession));
    }

    /// <summary>The work since the start, e.g. "main thread's tasks 412 ms (script 180, style 40, layout 55); CPU: renderers 390 ms, GPU 120 ms".</summary>
    public async Task<string> StopAsync()
    {
        var end = await MetricsAsync(_page);
        var endCpu = await ProcessCpuAsync(_browser);
        await _page.SendAsync("Performance.disable");
        double Ms(string name) => (end.GetValueOrDefault(name) - _start.GetValueOrDefault(name)) * 1000;
        double Cpu(string type) => (endCpu.GetValueOrDefault(type) - _startCpu.GetValueOrDefault(type)) * 1000;
        return $"main thread's tasks {Ms("TaskDuration"):F0} ms (script {Ms("ScriptDuration"):F0}, style {Ms("RecalcStyleDuration"):F0}, " +
            $"layout {Ms("LayoutDuration"):F0}); CPU: renderers {Cpu("renderer"):F0} ms, GPU process {Cpu("GPU"):F0} ms";
    }

    private static async Task<Dictionary<string, double>> MetricsAsync(ICDPSession session)
    {
        var answer = await session.SendAsync("Performance.getMetrics");
        return answer!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
    }

    /// <summary>CPU seconds so far, summed by process type (renderer, GPU, browser, utility).</summary>
    private static async Task<Dictionary<string, double>> ProcessCpuAsync(ICDPSession browser)
    {
        var answer = await browser.SendAsync("SystemInfo.getProcessInfo");
        return answer!.Value.GetProperty("processInfo").EnumerateArray()
            .GroupBy(p => p.GetProperty("type").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(p => p.GetProperty("cpuTime").GetDouble()));
    }
}
