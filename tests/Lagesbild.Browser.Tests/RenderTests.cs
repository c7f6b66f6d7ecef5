using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// How the phone's page keeps up with a busy picture: each delta should redraw the one row and
/// the one symbol it concerns. Reports the time from a delta's arrival to the page having
/// rendered it at 10 changes/s, and the longest main-thread task in a burst of 1,000 changes;
/// asserts that what is shown is right.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class RenderTests(Chromium chromium, ITestOutputHelper output)
{
    private static readonly string[] Points = ["bromma-brommaplan", "jarva-kista", "sodermalm-tellus", "farsta-storforsplan"];

    /// <summary>Per sequence number: when its delta came off the WebSocket and when body[data-last-seq] reached it (performance.now()); and the long tasks.</summary>
    private const string RenderRecorder = """
        (() => {
          const arrived = {}, shown = {}, longTasks = [];
          window.renders = { arrived, shown, longTasks };
          new PerformanceObserver((list) => { for (const task of list.getEntries()) longTasks.push(Math.round(task.duration)); })
            .observe({ type: "longtask" });
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            constructor(...args) {
              super(...args);
              this.addEventListener("message", (event) => {
                if (typeof event.data !== "string" || !event.data.includes('"delta"')) return;
                const now = performance.now();
                for (const frame of event.data.split("\u001e")) {
                  if (!frame) continue;
                  const message = JSON.parse(frame);
                  if (message.type === 1 && message.target === "delta") arrived[message.arguments[0].seq] ??= now;
                }
              });
            }
          };
          let last = 0;
          new MutationObserver(() => {
            const seq = Number(document.body.dataset.lastSeq);
            const now = performance.now();
            for (let s = last + 1; s <= seq; s++) shown[s] ??= now;
            if (seq > last) last = seq;
          }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-last-seq"] });
        })();
        """;

    [Fact]
    public async Task Each_delta_redraws_its_row_and_symbol_at_10_changes_a_second_and_in_a_burst_of_1000()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        foreach (var point in Points)
        {
            await http.ChangeStatusAsync(point, "Activating");
            await http.ChangeStatusAsync(point, "Open");
        }
        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true,
            beforeLoad: p => p.AddInitScriptAsync(RenderRecorder));
        await page.WaitUntilLiveAsync();

        // 10 changes a second for 10 seconds, as a busy evening looks.
        var paced = new List<long>();
        var trace = await ChromiumTrace.StartIfAskedAsync(page.Page, "render-10-a-second");
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 100) - clock.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due);
            paced.Add(await http.ToggleVisitorsAsync(Points[i % Points.Length], i));
        }
        await page.WaitForSeqAsync(paced[^1]);
        if (trace is not null)
            output.WriteLine($"trace: {await trace.StopIfStartedAsync()}");
        await ExpectShownAsync(page, http, Enumerable.Range(96, 4).ToArray());
        var (arrived, shown, _) = await ReadAsync(page);
        Report("10 changes/s: delta arrived → rendered", paced.Select(seq => shown[seq] - arrived[seq]));

        // A burst of 1,000 as fast as the server takes them (a resume after a long gap looks the same).
        await page.Page.EvaluateAsync("() => window.renders.longTasks.length = 0");
        var burst = new long[1000];
        trace = await ChromiumTrace.StartIfAskedAsync(page.Page, "render-burst");
        await Task.WhenAll(Points.Select(async (point, sender) =>
        {
            for (var i = sender; i < burst.Length; i += Points.Length)
                burst[i] = await http.ToggleVisitorsAsync(point, 1000 + i);
        }));
        await page.WaitForSeqAsync(burst.Max(), TimeSpan.FromSeconds(60));
        if (trace is not null)
            output.WriteLine($"trace: {await trace.StopIfStartedAsync()}");
        await ExpectShownAsync(page, http, Enumerable.Range(1000 + burst.Length - Points.Length, Points.Length).ToArray());
        var (burstArrived, burstShown, longTasks) = await ReadAsync(page);
        // A page that falls too far behind in the burst is sent a fresh snapshot instead of what queued for it (a
        // resync, counted by the server): what that snapshot carried came as no delta and has no arrival to time.
        var asDeltas = burst.Where(burstArrived.ContainsKey).ToArray();
        var resyncs = (await http.GetFromJsonAsync<JsonElement>("api/live/stats")).GetProperty("resyncs").GetInt64();
        output.WriteLine($"burst of 1,000: {asDeltas.Length} came as deltas, {burst.Length - asDeltas.Length} inside a fresh snapshot; the server counted {resyncs} resyncs");
        if (asDeltas.Length < burst.Length)
            Assert.True(resyncs > 0, "changes of the burst came as no delta, yet the server sent no fresh snapshot");
        Report("burst of 1,000: delta arrived → rendered", asDeltas.Select(seq => burstShown[seq] - burstArrived[seq]));
        output.WriteLine($"burst of 1,000: {longTasks.Length} main-thread tasks over 50 ms, longest {(longTasks.Length == 0 ? 0 : longTasks.Max())} ms");
        output.WriteLine($"after the burst: {await page.ScreenshotAsync("phone-after-burst")}");
        Assert.Empty(page.ScriptErrors);
    }

    /// <summary>Every point's row and symbol show what the server has: the last visitors sent to it, its status.</summary>
    private async Task ExpectShownAsync(MapPage page, HttpClient http, int[] lastVisitors)
    {
        var statuses = await DemoPicture.StatusesAsync(http);
        for (var i = 0; i < Points.Length; i++)
        {
            var visitors = lastVisitors.Single(v => v % Points.Length == i % Points.Length);
            await Expect(page.PointRow(Points[i])).ToContainTextAsync($"{visitors}/");
            Assert.Equal(statuses[Points[i]], (await page.PointSymbolAsync(Points[i]))?.Status);
        }
        Assert.Equal((await http.DigestAsync()).Seq, await page.LastSeqAsync());
    }

    private static async Task<(Dictionary<long, double> Arrived, Dictionary<long, double> Shown, long[] LongTasks)> ReadAsync(MapPage page)
    {
        using var json = JsonDocument.Parse(await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.renders)"));
        Dictionary<long, double> Read(string name) =>
            json.RootElement.GetProperty(name).EnumerateObject().ToDictionary(p => long.Parse(p.Name), p => p.Value.GetDouble());
        return (Read("arrived"), Read("shown"), json.RootElement.GetProperty("longTasks").EnumerateArray().Select(t => t.GetInt64()).ToArray());
    }

    private void Report(string what, IEnumerable<double> times)
    {
        var sorted = times.Order().ToArray();
        double At(double quantile) => sorted[(int)Math.Ceiling(quantile * sorted.Length) - 1];
        output.WriteLine($"{what}, ms over {sorted.Length}: median {At(0.5):F1}, p99 {At(0.99):F1}, max {sorted[^1]:F1}");
    }
}
