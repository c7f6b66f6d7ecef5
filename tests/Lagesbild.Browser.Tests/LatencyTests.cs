using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Browser.Tests;

[Collection(Chromium.Collection)]
public sealed class LatencyTests(Chromium chromium, ITestOutputHelper output)
{
    private const int Changes = 1000;
    private const int MaxPerSecond = 250;
    private static readonly string[] Points = ["bromma-brommaplan", "jarva-kista", "sodermalm-tellus", "farsta-storforsplan"];

    /// <summary>
    /// Notes in the page, per sequence number, when its delta came off the hub's WebSocket and
    /// when the page had rendered it (body[data-last-seq] reached it); Date.now() on both sides,
    /// the same clock as the server's, which runs on this machine. Also the page's long tasks
    /// (over 50 ms of script and layout), which delay both.
    /// </summary>
    private const string ArrivalRecorder = """
        (() => {
          const arrived = {}, shown = {}, longTasks = [];
          window.arrivals = { arrived, shown, longTasks };
          new PerformanceObserver((list) => { for (const task of list.getEntries()) longTasks.push(Math.round(task.duration)); })
            .observe({ type: "longtask" });
          const Native = window.WebSocket;
          window.WebSocket = class extends Native {
            constructor(...args) {
              super(...args);
              this.addEventListener("message", (event) => {
                if (typeof event.data !== "string" || !event.data.includes('"delta"')) return;
                const now = Date.now();
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
            const now = Date.now();
            for (let s = last + 1; s <= seq; s++) shown[s] ??= now;
            if (seq > last) last = seq;
          }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-last-seq"] });
        })();
        """;

    [Fact]
    public async Task Latency_from_an_accepted_change_to_the_page()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output,
            beforeLoad: p => p.AddInitScriptAsync(ArrivalRecorder));
        await page.WaitUntilLiveAsync();
        // A .NET client beside the page tells the server's share of the latency from the browser's.
        await using var reference = new LiveClient(server.BaseAddress);
        await reference.ConnectAsync();

        // A few senders, each on its own points, paced together to at most MaxPerSecond.
        var accepted = new ConcurrentDictionary<long, long>();
        var sending = Stopwatch.StartNew();
        await Task.WhenAll(Points.Select(async (point, sender) =>
        {
            for (var i = sender; i < Changes; i += Points.Length)
            {
                var due = TimeSpan.FromSeconds((double)i / MaxPerSecond) - sending.Elapsed;
                if (due > TimeSpan.Zero)
                    await Task.Delay(due);
                var response = await http.SendJsonAsync("PUT", $"api/pictures/live/safety-points/{point}/resources",
                    $$"""{"backupPower":{"available":true,"fuelHours":12},"waterLitres":{{1000 + i}},"staff":4,"frgVolunteers":2,"radios":1}""");
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, body);
                using var answer = JsonDocument.Parse(body);
                accepted[answer.RootElement.GetProperty("seq").GetInt64()] = answer.RootElement.GetProperty("at").GetDateTimeOffset().ToUnixTimeMilliseconds();
            }
        }));
        output.WriteLine($"{Changes} changes sent in {sending.Elapsed.TotalSeconds:F1} s");

        var last = accepted.Keys.Max();
        await page.WaitForSeqAsync(last, TimeSpan.FromSeconds(30));
        using var arrivals = JsonDocument.Parse(await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.arrivals)"));
        var arrived = Read(arrivals.RootElement.GetProperty("arrived"));
        var shown = Read(arrivals.RootElement.GetProperty("shown"));

        Assert.Equal(Changes, accepted.Count);
        await reference.WaitForSeqAsync(last, TimeSpan.FromSeconds(30));
        var received = reference.Deltas.ToDictionary(d => d.Seq, d => d.ReceivedAt.ToUnixTimeMilliseconds());

        var missing = accepted.Keys.Where(seq => !arrived.ContainsKey(seq) || !shown.ContainsKey(seq)).Order().ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} changes never reached the page, e.g. {string.Join(", ", missing.Take(10))}");
        Report("accepted → delta in the page", accepted.Select(a => arrived[a.Key] - a.Value));
        Report("accepted → rendered (data-last-seq)", accepted.Select(a => shown[a.Key] - a.Value));
        Report("accepted → .NET client beside it", accepted.Where(a => received.ContainsKey(a.Key)).Select(a => received[a.Key] - a.Value));
        var longTasks = arrivals.RootElement.GetProperty("longTasks").EnumerateArray().Select(t => t.GetInt64()).ToArray();
        output.WriteLine($"the page's long tasks meanwhile: {longTasks.Length}, {longTasks.Sum()} ms in all, longest {(longTasks.Length == 0 ? 0 : longTasks.Max())} ms");
        Assert.Empty(page.ScriptErrors);
    }

    private static Dictionary<long, long> Read(JsonElement times) =>
        times.EnumerateObject().ToDictionary(p => long.Parse(p.Name), p => p.Value.GetInt64());

    private void Report(string what, IEnumerable<long> latencies)
    {
        var sorted = latencies.Order().ToArray();
        long At(double quantile) => sorted[(int)Math.Ceiling(quantile * sorted.Length) - 1];
        output.WriteLine($"{what}, ms over {sorted.Length}: median {At(0.5)}, p95 {At(0.95)}, p99 {At(0.99)}, max {sorted[^1]}, min {sorted[0]}");
    }
}
