using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Lagesbild.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

[Collection(Chromium.Collection)]
public sealed class AttentionTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    /// <summary>
    /// A district reports fuel below the city's 6 h: the point gets its mark on the operators' map and
    /// a line in the attention panel; refuelled, both go. How long the mark took is written out (the
    /// benchmark measures speed; this test that it happens).
    /// </summary>
    [Fact]
    public async Task A_point_whose_fuel_drops_below_the_threshold_gets_its_attention_mark_and_loses_it_when_refuelled()
    {
        const string point = "skarholmen-masholmstorget";
        await fixture.Http.EnsureActivatedAsync(point);
        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        await page.WaitUntilLiveAsync();
        Assert.False(await page.Page.EvaluateAsync<bool>($"() => window.lagesbild.pointAttention('{point}')"));

        // Where the time goes: the report accepted (stored), its delta shown on the page, the mark drawn.
        var reported = Stopwatch.StartNew();
        var low = await fixture.Http.SendJsonAsync("POST", $"api/pictures/live/safety-points/{point}/condition", """{"power":{"source":"Backup","fuelHours":3}}""");
        Assert.True(low.IsSuccessStatusCode);
        var accepted = reported.ElapsedMilliseconds;
        var seq = (await low.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("seq").GetInt64();
        await page.WaitForAsync($"() => window.lagesbild.lastSeq() >= {seq}");
        var shown = reported.ElapsedMilliseconds;
        await page.WaitForAsync($"() => window.lagesbild.pointAttention('{point}')");
        output.WriteLine($"attention mark on the map {reported.ElapsedMilliseconds} ms after the report was sent " +
            $"(accepted after {accepted} ms, its delta shown after {shown} ms, the mark {reported.ElapsedMilliseconds - shown} ms after the delta; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        await Expect(page.Page.Locator($"[data-attention-point='{point}'] [data-rule='FuelLow']")).ToBeVisibleAsync();

        var refuelled = await fixture.Http.SendJsonAsync("POST", $"api/pictures/live/safety-points/{point}/condition", """{"power":{"source":"Backup","fuelHours":40}}""");
        Assert.True(refuelled.IsSuccessStatusCode);
        await page.WaitForAsync($"() => !window.lagesbild.pointAttention('{point}')");
        await Expect(page.Page.Locator($"[data-attention-point='{point}'] [data-rule='FuelLow']")).ToHaveCountAsync(0);
    }
}
