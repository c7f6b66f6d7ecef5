using System.Globalization;
using System.Text.Json;
using Lagesbild.Geo;
using Lagesbild.Testing;
using Xunit.Abstractions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// A city with 500 trygghetspunkter on a phone: the operator drags and pinch-zooms the map (here
/// with the mouse and the wheel, which reach OpenLayers as the same pointer gestures). Reports the
/// frame intervals and the longest main-thread task while the map moves; asserts that every point
/// is on the map and that the map went where it was taken.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class PanZoomTests(Chromium chromium, ITestOutputHelper output)
{
    private const int Points = 500;

    /// <summary>Every animation frame's time and every long task, from when it is installed.</summary>
    private const string FrameRecorder = """
        () => {
          const frames = [], longTasks = [];
          window.panZoom = { frames, longTasks };
          new PerformanceObserver((list) => { for (const task of list.getEntries()) longTasks.push(Math.round(task.duration)); })
            .observe({ type: "longtask" });
          const tick = (now) => { frames.push(now); requestAnimationFrame(tick); };
          requestAnimationFrame(tick);
        }
        """;

    [Fact]
    public async Task A_picture_of_500_trygghetspunkter_pans_and_zooms_on_a_phone_with_every_point_on_the_map()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        var registered = await RegisterAcrossTheCityAsync(http);

        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true);
        await page.WaitUntilLiveAsync();
        await page.WaitForAsync($"() => window.lagesbild.pointIds().filter(id => id.startsWith('tat-')).length === {Points}", TimeSpan.FromSeconds(30));
        var onMap = await page.PointIdsAsync();
        Assert.Empty(registered.Except(onMap));

        var map = await page.Page.Locator("#map").BoundingBoxAsync();
        Assert.NotNull(map);
        var (x, y) = (map.X + map.Width / 2, map.Y + map.Height / 2);
        var before = await ViewAsync(page);
        await page.Page.EvaluateAsync(FrameRecorder);
        var trace = await ChromiumTrace.StartIfAskedAsync(page.Page, "pan-zoom-500");

        // Five drags across the map, as a thumb pans it.
        var mouse = page.Page.Mouse;
        for (var drag = 0; drag < 5; drag++)
        {
            var dx = drag % 2 == 0 ? 120 : -80;
            await mouse.MoveAsync((float)x, (float)y);
            await mouse.DownAsync();
            await mouse.MoveAsync((float)(x + dx), (float)(y + 60), new() { Steps = 30 });
            await mouse.UpAsync();
            await Task.Delay(200);
        }
        var panned = await ViewAsync(page);
        // Zoomed in three steps and out again, as a pinch does.
        foreach (var delta in new[] { -240, -240, -240, 240, 240 })
        {
            await mouse.MoveAsync((float)x, (float)y);
            await mouse.WheelAsync(0, delta);
            await Task.Delay(400);
        }
        var zoomed = await ViewAsync(page);
        if (trace is not null)
            output.WriteLine($"trace: {await trace.StopIfStartedAsync()}");

        using var recorded = JsonDocument.Parse(await page.Page.EvaluateAsync<string>("() => JSON.stringify(window.panZoom)"));
        var frames = recorded.RootElement.GetProperty("frames").EnumerateArray().Select(f => f.GetDouble()).ToArray();
        var longTasks = recorded.RootElement.GetProperty("longTasks").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        var intervals = frames.Zip(frames.Skip(1), (a, b) => b - a).Order().ToArray();
        output.WriteLine($"{Points} trygghetspunkter (+ the demo's), 390×844: {frames.Length} frames while panning and zooming; " +
            $"frame interval p50 {Percentile(intervals, 0.50):F1} ms, p99 {Percentile(intervals, 0.99):F1} ms, longest {intervals.LastOrDefault():F1} ms; " +
            $"frames over 50 ms {intervals.Count(i => i > 50)}; long tasks {longTasks.Length} (longest {longTasks.DefaultIfEmpty().Max()} ms)");
        output.WriteLine($"view: centre {Describe(before)} → after panning {Describe(panned)} → after zooming {Describe(zoomed)}");
        output.WriteLine($"screenshot: {await page.ScreenshotAsync("phone-500-points")}");

        Assert.NotEqual(before.Center, panned.Center);
        Assert.True(zoomed.Resolution < panned.Resolution, $"the map did not zoom in: {panned.Resolution} → {zoomed.Resolution}");
        Assert.True(frames.Length > 30, $"only {frames.Length} frames were drawn while the map moved");
        Assert.Empty(page.ScriptErrors);
    }

    /// <summary>Registers <see cref="Points"/> points on a grid over the city, each in the district it falls in; returns their ids.</summary>
    private static async Task<List<string>> RegisterAcrossTheCityAsync(HttpClient http)
    {
        var areas = DistrictAreas.Load(Path.Combine(RepoPaths.Root, "maps", "districts.geojson"));
        var inside = new List<(double Lon, double Lat, string District)>();
        for (var lat = 59.225; lat < 59.43; lat += 0.006)
        {
            for (var lon = 17.76; lon < 18.20; lon += 0.008)
            {
                if (areas.FindDistrict(lon, lat) is { } district)
                    inside.Add((lon, lat, district));
            }
        }
        Assert.True(inside.Count >= Points, $"only {inside.Count} grid points fall in a district");
        var ids = new List<string>();
        for (var i = 0; i < Points; i++)
        {
            var (lon, lat, district) = inside[(int)((long)i * inside.Count / Points)];
            var id = $"tat-{i:D3}";
            var position = string.Create(CultureInfo.InvariantCulture, $$"""{"lon":{{lon:F5}},"lat":{{lat:F5}}}""");
            using var response = await http.SendJsonAsync("POST", "api/pictures/live/safety-points", $$"""
                {"id":"{{id}}","district":"{{district}}","name":"Punkt {{i}}","address":"Gata {{i}}, Stockholm","position":{{position}},
                 "tier":{{1 + i % 3}},"capacity":50,"capabilities":["Information"],"backupPower":{{(i % 2 == 0 ? "true" : "false")}},"example":true}
                """);
            Assert.True(response.IsSuccessStatusCode, $"{id} in {district}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            ids.Add(id);
        }
        return ids;
    }

    private sealed record MapView(double[] Center, double Resolution);

    private static async Task<MapView> ViewAsync(MapPage page)
    {
        var view = await page.Page.EvaluateAsync<JsonElement>("() => window.lagesbild.mapView()");
        return new MapView(view.GetProperty("center").EnumerateArray().Select(c => Math.Round(c.GetDouble())).ToArray(), view.GetProperty("resolution").GetDouble());
    }

    private static string Describe(MapView view) => $"({view.Center[0]:F0}, {view.Center[1]:F0}) at {view.Resolution:F1} m/px";

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
