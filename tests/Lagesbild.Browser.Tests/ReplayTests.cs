using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

[Collection(Chromium.Collection)]
public sealed class ReplayTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_replay_shows_the_map_as_it_was_read_only_and_playing_forward_changes_it()
    {
        const string point = "farsta-storforsplan";
        var activated = await fixture.Http.ChangeStatusAsync(point, "Activating");
        await Task.Delay(1500);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(1500);
        var opened = await fixture.Http.ChangeStatusAsync(point, "Open");

        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        await page.WaitUntilLiveAsync();
        await page.WaitForSeqAsync(opened);
        Assert.Equal("Open", (await page.PointSymbolAsync(point))?.Status);

        // The moment between the two changes: the point was activating, not yet open.
        await page.Page.GotoAsync(new Uri(fixture.Server.BaseAddress, $"?user=anna&replay={Uri.EscapeDataString(between.ToString("O"))}").ToString());
        await page.WaitForSeqAsync(activated);
        await Expect(page.Page.GetByText("UPPSPELNING", new() { Exact = true })).ToBeVisibleAsync();
        Assert.Equal("Activating", (await page.PointSymbolAsync(point))?.Status);
        await Expect(page.PointRow(point)).ToHaveAttributeAsync("data-status", "Activating");

        // Read-only: the point's change buttons are there, disabled, and say why.
        await page.PointRow(point).GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.Page.Locator("button[data-command=\"ChangeSafetyPointStatus\"]")).ToBeDisabledAsync();
        await Expect(page.Page.GetByText("Uppspelning: lägesbilden som den var").First).ToBeVisibleAsync();
        output.WriteLine($"replay at {between:O}: {await page.ScreenshotAsync("replay-then")}");

        // Played forward at 60×, the point opens on the map and in the list, as it did.
        await page.Page.Locator("#replay-speed").SelectOptionAsync("60");
        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Spela", Exact = true }).ClickAsync();
        await page.WaitForSeqAsync(opened);
        Assert.Equal("Open", (await page.PointSymbolAsync(point))?.Status);
        await Expect(page.PointRow(point)).ToHaveAttributeAsync("data-status", "Open");
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Spela", Exact = true })).ToBeVisibleAsync();
        // A screen reader is told where it ended; the moment that moved every frame is read where it stands.
        await Expect(page.StatusSaying("Uppspelningen är slut vid")).ToBeAttachedAsync();
        await Expect(page.Page.Locator(".replay-moment")).ToContainTextAsync("Lägesbilden som den var");
        await Expect(page.Page.Locator(".replay-moment")).Not.ToHaveAttributeAsync("role", "status");
        output.WriteLine($"played to the end: {await page.ScreenshotAsync("replay-played")}");
        Assert.Empty(page.ScriptErrors);
    }

    /// <summary>
    /// A busy minute (20 changes a second: 1,200 in all) played back at 60×, so a minute of the picture passes in a
    /// second of the page. Reports, measured in the page from the click on Spela to the frame that shows the last
    /// change: the playback time (ideal: a 60th of the minute), the frame intervals, the frames dropped (a gap of
    /// more than 25 ms between two animation frames is a vsync missed at 60 Hz; the count over 50 ms is kept, as
    /// earlier rounds reported it), the long main-thread tasks, and the work the browser did meanwhile (the main
    /// thread's tasks, and the CPU time of its renderer and GPU processes: see <see cref="PageWork"/>).
    /// Chrome's own count of the frames (dropped, partial, presented: <see cref="FrameTimeline"/>) comes from a light trace
    /// taken in every run, with the CPU time of the server and this process (<see cref="ProcessWork"/>).
    /// With LAGESBILD_TRACE_DIR=&lt;folder&gt; the trace is a full one, written there (replay-60x.json; open it in DevTools'
    /// Performance panel), and each gap over 25 ms is printed with what ran in it: each thread's CPU and wall time
    /// (the page's main thread by kind of work, its compositor and raster, the display compositor, the browser). Asserts that
    /// ages are told by the replayed moment, and that the page ends on the picture's last change, with what the
    /// last change said.
    /// </summary>
    [Fact]
    public async Task A_busy_minute_plays_back_at_60x_to_the_last_change()
    {
        string[] points = ["bromma-brommaplan", "jarva-kista", "sodermalm-tellus", "farsta-storforsplan"];
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        foreach (var point in points)
        {
            await http.ChangeStatusAsync(point, "Activating");
            await http.ChangeStatusAsync(point, "Open");
        }
        await Task.Delay(1000);
        var from = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        long last = 0;
        for (var i = 0; i < 1200; i++)
        {
            var due = TimeSpan.FromMilliseconds(i * 50) - clock.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due);
            last = await http.ToggleVisitorsAsync(points[i % points.Length], i);
        }
        var minute = clock.Elapsed;

        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output);
        await page.Page.GotoAsync(new Uri(server.BaseAddress, $"?user=anna&replay={Uri.EscapeDataString(from.ToString("O"))}").ToString());
        await Expect(page.Page.GetByText("UPPSPELNING", new() { Exact = true })).ToBeVisibleAsync();
        await page.WaitForAsync("() => window.lagesbild.lastSeq() > 0");
        var startSeq = await page.LastSeqAsync();
        // Ages are told by the replayed moment, not the wall's: the points had opened seconds before it,
        // though by now that was more than a minute ago ("för 1 min sedan" by the wall's clock).
        await Expect(page.PointRow(points[^1]).Locator(".fresh")).ToHaveTextAsync(new Regex(@"^uppdaterad (nyss|för \d+ s sedan)$"));
        await page.Page.EvaluateAsync("""
            (last) => {
              const playback = { frames: [], longTasks: [], clicked: 0, shown: 0, announced: [] };
              window.playback = playback;
              // What a screen reader is told while it plays: every change of a live region's text.
              for (const region of document.querySelectorAll('[role=status], [role=alert], [role=log], [aria-live]:not([aria-live=off])')) {
                new MutationObserver(() => {
                  if (playback.clicked && !playback.shown) playback.announced.push(region.textContent);
                }).observe(region, { childList: true, characterData: true, subtree: true });
              }
              new PerformanceObserver((list) => {
                for (const task of list.getEntries()) playback.longTasks.push({ start: task.startTime, duration: task.duration });
              }).observe({ type: "longtask" });
              document.querySelector(".replay-play").addEventListener("click", () => {
                playback.clicked = performance.now();
                performance.mark("replay-click", { startTime: playback.clicked });
              }, { capture: true });
              const tick = (now) => {
                playback.frames.push(now);
                if (!playback.shown && window.lagesbild.lastSeq() === last) {
                  playback.shown = now;
                  performance.mark("replay-shown");
                }
                requestAnimationFrame(tick);
              };
              requestAnimationFrame(tick);
            }
            """, last);
        await page.Page.Locator("#replay-speed").SelectOptionAsync("60");
        var quiet = await ProcessWork.WaitForQuietAsync(server.ProcessId!.Value, TimeSpan.FromSeconds(20));
        output.WriteLine($"waited {quiet.TotalSeconds:F1} s for the server to be quiet (its runtime recompiling what the writes made hot)");
        // Chrome's own count of the frames is in every run's trace (a light one); the full one, when asked, also
        // tells what ran in each gap.
        var fullTrace = await ChromiumTrace.StartIfAskedAsync(page.Page, "replay-60x");
        var trace = fullTrace ?? await ChromiumTrace.StartAsync(page.Page, FrameTimeline.FrameCategories);
        var play = page.Page.GetByRole(AriaRole.Button, new() { Name = "Spela", Exact = true });
        await play.WaitForAsync();
        var work = await PageWork.StartAsync(page.Page, chromium.Browser);
        var processes = ProcessWork.Start(server.ProcessId);
        var playing = Stopwatch.StartNew();
        await play.ClickAsync();
        await page.WaitForSeqAsync(last, TimeSpan.FromSeconds(60));
        var seen = playing.Elapsed;
        await page.WaitForAsync("() => window.playback.shown > 0");
        var busy = await work.StopAsync();
        var beside = processes.Stop();
        if (fullTrace is not null)
            output.WriteLine($"trace: {await fullTrace.StopIfStartedAsync()}");
        else
            await trace.StopAsync();
        var timeline = new FrameTimeline(trace.Events, "replay-click", "replay-shown");

        using var recorded = JsonDocument.Parse(await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.playback)"));
        var clicked = recorded.RootElement.GetProperty("clicked").GetDouble();
        var shown = recorded.RootElement.GetProperty("shown").GetDouble();
        // The frames of the playback: from the last frame before the click to the frame that showed the last change.
        var all = recorded.RootElement.GetProperty("frames").EnumerateArray().Select(f => f.GetDouble()).ToArray();
        var frames = all.Where(f => f <= shown).SkipWhile((f, i) => i + 1 < all.Length && all[i + 1] <= clicked).ToArray();
        var longTasks = recorded.RootElement.GetProperty("longTasks").EnumerateArray()
            .Select(t => (Start: t.GetProperty("start").GetDouble(), Duration: t.GetProperty("duration").GetDouble()))
            .Where(t => t.Start + t.Duration >= clicked && t.Start <= shown).Select(t => t.Duration).ToArray();
        var intervals = frames.Zip(frames.Skip(1), (a, b) => b - a).Order().ToArray();
        double Percentile(double p) => intervals.Length == 0 ? 0 : intervals[Math.Min(intervals.Length - 1, (int)Math.Ceiling(p * intervals.Length) - 1)];
        output.WriteLine($"{last - startSeq} changes in {minute.TotalSeconds:F1} s played at 60× in {(shown - clicked) / 1000:F2} s in the page " +
            $"(a 60th of the minute: {minute.TotalSeconds / 60:F2} s; the test saw the last change {seen.TotalSeconds:F2} s after it began to click); " +
            $"{frames.Length} frames, interval p50 {Percentile(0.5):F1} ms, p99 {Percentile(0.99):F1} ms, longest {intervals.LastOrDefault():F1} ms, " +
            $"gaps over 25 ms (a vsync missed at 60 Hz) {intervals.Count(i => i > 25)}, over 50 ms {intervals.Count(i => i > 50)}, of {intervals.Length}; " +
            $"long tasks {longTasks.Length} (longest {longTasks.DefaultIfEmpty().Max():F0} ms); " +
            $"from the click to the test seeing the last change ({seen.TotalSeconds:F2} s): {busy}");
        var (presented, partial, dropped, nothingNew) = timeline.Frames();
        output.WriteLine($"Chrome's frames from the click to the last change (its compositor's count, as DevTools and its smoothness " +
            $"metric count them): dropped {dropped}, partial {partial} (the page's update a frame late), presented {presented}, " +
            $"nothing new {nothingNew}; beside the browser meanwhile: {beside}");
        var pagesWork = 0;
        foreach (var (before, after) in frames.Zip(frames.Skip(1)).Where(gap => gap.Second - gap.First > 25))
        {
            var ran = fullTrace is null ? "(LAGESBILD_TRACE_DIR=<folder> tells what ran in it)" : timeline.WhatRan(before - clicked, after - clicked);
            pagesWork += FrameTimeline.IsPagesWork(ran) ? 1 : 0;
            output.WriteLine($"  gap {after - before:F1} ms at {before - clicked:F0} ms: {ran}");
        }
        if (fullTrace is not null)
            output.WriteLine($"gaps over 25 ms that were the page's work: {pagesWork} of {intervals.Count(i => i > 25)}");

        // A screen reader is told that it plays and that it ended, not each of the frames' moments.
        var announced = recorded.RootElement.GetProperty("announced").EnumerateArray().Select(a => a.GetString()).ToArray();
        output.WriteLine($"announced while playing: {string.Join(" | ", announced)}");
        Assert.InRange(announced.Length, 1, 3);

        // The last change was visitors 1199 at the point it went to; the list shows what it said.
        var lastPoint = points[1199 % points.Length];
        await Expect(page.PointRow(lastPoint)).ToContainTextAsync("1199/");
        output.WriteLine($"played: {await page.ScreenshotAsync("replay-60x-played")}");
        Assert.True(frames.Length >= 2, $"only {frames.Length} frames while the minute played: no figures to report");
        Assert.Empty(page.ScriptErrors);
    }
}
