using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Lagesbild.Bench;

/// <summary>What the overview-page scenario measured: the samlad lägesbild rendered in the page.</summary>
/// <param name="RenderMs">The page's own measure around building and laying out the view, once its JSON has arrived.</param>
/// <param name="LoadMs">From the page asking the server to the view laid out (request, build on the server, JSON, render).</param>
public sealed record OverviewPageResult(int Reports, int Districts, int Sectors, long OverviewBytes, Stats RenderMs, Stats LoadMs);

/// <summary>
/// Issue 14's render target (≤ 300 ms): a server holding the demo city (11 districts, 10 sectors) and 1,000
/// lägesrapporter, and Debian's Chromium (as the browser tests drive it) opening the samlad lägesbild 20 times
/// after one warm-up. The page records <c>performance.measure</c> entries around each render
/// (src/Lagesbild.Web/src/panels/reports.ts); this reads them, so the figure is the page's own.
/// </summary>
public static class OverviewPageRun
{
    private const int Renders = 20;
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string RenderMeasure = "lagesbild:overview-render";
    private const string LoadMeasure = "lagesbild:overview-load";

    public static async Task<OverviewPageResult> RunAsync(BenchOptions options)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium (test.sh does it).");
        await using var nodes = await ServerNodes.StartAsync(1, options.Redis, options.ServerAssembly);
        var node = nodes.Nodes[0];
        await OverviewRun.FillAsync(node);
        using var anna = node.CreateClient("anna");
        var overview = await anna.GetFromJsonAsync<JsonElement>("api/pictures/live/overview");
        var reporters = overview.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("kind").GetString()).ToArray();
        var bytes = (await anna.GetByteArrayAsync("api/pictures/live/overview")).LongLength;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 }, Locale = "sv-SE", TimezoneId = "Europe/Stockholm" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(node.BaseAddress, "?user=anna").ToString());
        await page.WaitForFunctionAsync("() => window.lagesbild?.connection() === 'connected' && window.lagesbild.lastSeq() > 0", null, new() { Timeout = 60_000 });

        var toggle = page.Locator("button[data-overview-toggle]");
        for (var i = 1; i <= Renders + 1; i++)
        {
            await toggle.ClickAsync();
            await page.WaitForFunctionAsync($"() => performance.getEntriesByName('{RenderMeasure}').length >= {i}", null, new() { Timeout = 30_000 });
            await toggle.ClickAsync();
        }
        // The first opening warms the page (its code paths, the fonts); the rest are what a person sees.
        var render = await DurationsAsync(page, RenderMeasure);
        var load = await DurationsAsync(page, LoadMeasure);
        return new OverviewPageResult(OverviewRun.Reports, reporters.Count(k => k == "District"), reporters.Count(k => k == "Sector"), bytes,
            Stats.Of([.. render.Skip(1)]), Stats.Of([.. load.Skip(1)]));
    }

    private static async Task<double[]> DurationsAsync(IPage page, string name) =>
        await page.EvaluateAsync<double[]>($"() => performance.getEntriesByName('{name}').map((e) => e.duration)");

    public static void AppendTable(StringBuilder text, OverviewPageResult result)
    {
        text.AppendLine();
        text.AppendLine("| samlad lägesbild in the page (Chromium) | value | note |");
        text.AppendLine("| --- | --- | --- |");
        text.AppendLine($"| render: build and lay out the view ({result.Districts} districts, {result.Sectors} sectors, {result.Reports:N0} reports in the history) | median {result.RenderMs.Median:0.0} ms, max {result.RenderMs.Max:0.0} ms | {result.RenderMs.Count} renders after one warm-up, the page's performance.measure; target ≤ 300 ms |");
        text.AppendLine($"| from asking the server to the view laid out | median {result.LoadMs.Median:0.0} ms, max {result.LoadMs.Max:0.0} ms | request, build on the server, JSON and render (after the 200 ms the page waits to gather a burst of changes into one request); {result.OverviewBytes / 1024.0:0.0} KiB of JSON |");
    }
}
