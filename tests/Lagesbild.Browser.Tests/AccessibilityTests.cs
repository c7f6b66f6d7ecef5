using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Lagesbild.Browser.Tests;

/// <summary>axe-core's WCAG 2.1 A and AA rules on the page as a person first sees it, on a desktop and a phone, and on a replay.</summary>
[Collection(Chromium.Collection)]
public sealed class AccessibilityTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    /// <summary>Installed by the project's build (npm ci, see the .csproj).</summary>
    private static readonly string Axe = Path.Combine(RepoPaths.Root, "tests", "Lagesbild.Browser.Tests", "node_modules", "axe-core", "axe.min.js");

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task The_map_page_passes_axe_wcag_2_1_aa(bool phone, bool replay)
    {
        Assert.True(File.Exists(Axe), $"{Axe} is missing: build the test project (it runs npm ci).");
        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output,
            phone ? MapPage.Phone : MapPage.Desktop, phone);
        await page.WaitUntilLiveAsync();
        await page.WaitForAsync($"() => window.lagesbild.areaCount() === {DemoPicture.DistrictCount}");
        if (replay)
        {
            // The picture replayed (issue 17): the replay bar with its controls and status, the panels read-only.
            await page.Page.GotoAsync(new Uri(fixture.Server.BaseAddress, $"?user=anna&replay={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}").ToString());
            await page.Page.GetByText("UPPSPELNING", new() { Exact = true }).WaitForAsync();
            await page.WaitForAsync("() => window.lagesbild.lastSeq() > 0");
            await page.WaitForAsync($"() => window.lagesbild.areaCount() === {DemoPicture.DistrictCount}");
        }
        // Evaluated rather than added as a <script>: the page's Content-Security-Policy allows no inline script.
        await page.Page.EvaluateAsync(await File.ReadAllTextAsync(Axe));

        var result = await page.Page.EvaluateAsync<string>("""
            async () => {
              const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
              return JSON.stringify({
                version: axe.version,
                passes: result.passes.length,
                incomplete: result.incomplete.map((r) => `${r.id} (${r.nodes.length})`),
                violations: result.violations.map((v) => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
                })),
              });
            }
            """);
        using var json = JsonDocument.Parse(result);
        var report = json.RootElement;
        var violations = report.GetProperty("violations");
        output.WriteLine($"axe {report.GetProperty("version").GetString()}: {report.GetProperty("passes").GetInt32()} rules passed, " +
            $"{violations.GetArrayLength()} violated; left to a person: {string.Join(", ", report.GetProperty("incomplete").EnumerateArray().Select(i => i.GetString()))}");
        foreach (var violation in violations.EnumerateArray())
        {
            var nodes = violation.GetProperty("nodes").EnumerateArray().ToArray();
            output.WriteLine($"{violation.GetProperty("impact").GetString()} {violation.GetProperty("id").GetString()}: {violation.GetProperty("help").GetString()} ({nodes.Length} elements)");
            foreach (var node in nodes.Take(5))
                output.WriteLine($"  {node.GetProperty("target").GetString()}: {node.GetProperty("summary").GetString()?.ReplaceLineEndings(" ")}");
        }
        Assert.Equal(0, violations.GetArrayLength());
    }
}
