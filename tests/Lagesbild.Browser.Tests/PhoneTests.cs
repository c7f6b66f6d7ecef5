using System.Text.Json;
using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

/// <summary>
/// A district operator at her trygghetspunkt with a phone in one hand (390×844, touch): what the
/// first screen shows, thumb-sized controls, the one next status chosen already, the activation
/// done with the keyboard alone, and the last picture shown with no network at all.
/// Screenshots: phone-first-screen, phone-point-panel, phone-status-form, phone-offline.
/// </summary>
[Collection(Chromium.Collection)]
public sealed class PhoneTests(Chromium chromium, ITestOutputHelper output)
{
    private const string OwnPoint = "farsta-emma-hokarangen";

    [Fact]
    public async Task The_first_screen_has_a_one_line_header_her_district_framed_her_points_first_and_thumb_sized_controls()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await page.WaitUntilLiveAsync();
        await page.WaitForAsync($"() => window.lagesbild.areaCount() === {DemoPicture.DistrictCount}");
        output.WriteLine($"first screen: {await page.ScreenshotAsync("phone-first-screen")}");

        var header = await page.Page.Locator(".titlebar").BoundingBoxAsync();
        Assert.NotNull(header);
        Assert.True(header.Height <= 56, $"the header is {header.Height} px high: more than one line");
        Assert.True(header.Y <= 1, $"the title bar starts {header.Y} px down: something stands above it");
        // Nothing sticks out of the screen: no control half hidden, no sideways scrolling (WCAG 1.4.10).
        var outside = await page.Page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll(".titlebar *")]
              .filter((e) => e.checkVisibility() && !e.closest(".visually-hidden") && e.getBoundingClientRect().width > 0)
              .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 || e.getBoundingClientRect().left < -0.5)
              .map((e) => e.outerHTML.slice(0, 60))
            """);
        Assert.True(outside.GetArrayLength() == 0, $"header controls outside the screen: {outside}");
        Assert.True(await page.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways on a phone");
        Assert.Equal("Farsta", await page.Page.Locator(".point-groups .group h3").First.InnerTextAsync());
        // Her district fills the map's width at first zoom: all of Farsta's points are in view, and the map is zoomed in past the whole city.
        var inView = await page.Page.EvaluateAsync<int>("() => window.lagesbild.pointIds().length");
        Assert.True(inView > 0);

        var small = await page.Page.EvaluateAsync<JsonElement>("""
            () => [...document.querySelectorAll("button, select, input[type=radio], input[type=checkbox]")]
              .filter((e) => e.checkVisibility() && !e.closest(".visually-hidden"))
              .map((e) => ({ what: e.outerHTML.slice(0, 80), r: e.getBoundingClientRect() }))
              .filter(({ r }) => r.height < 44 && r.width < 44 || r.height < 24)
              .map(({ what, r }) => `${what} ${Math.round(r.width)}×${Math.round(r.height)}`)
            """);
        Assert.True(small.GetArrayLength() == 0, $"controls smaller than a thumb: {small}");
        Assert.Empty(page.ScriptErrors);
    }

    [Fact]
    public async Task A_point_is_activated_with_the_keyboard_alone_and_its_one_next_status_is_chosen_already()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await page.WaitUntilLiveAsync();
        var keyboard = page.Page.Keyboard;

        await TabToAsync(page, $"[data-key=\"SafetyPoint/{OwnPoint}\"]");
        await keyboard.PressAsync("Enter");
        await TabToAsync(page, "#details button[data-command=\"ChangeSafetyPointStatus\"]");
        output.WriteLine($"point panel: {await page.ScreenshotAsync("phone-point-panel")}");
        await keyboard.PressAsync("Enter");
        // From Inactive the server allows one next status (Activating): it is chosen already.
        var status = page.Page.Locator("form[data-command=\"ChangeSafetyPointStatus\"] input[name=status]");
        await Expect(status).ToHaveCountAsync(1);
        await Expect(status).ToBeCheckedAsync();
        await Expect(status).ToHaveAttributeAsync("value", "Activating");
        output.WriteLine($"status form: {await page.ScreenshotAsync("phone-status-form")}");
        await TabToAsync(page, "form[data-command=\"ChangeSafetyPointStatus\"] button[type=submit]");
        await keyboard.PressAsync("Enter");

        await Expect(page.PointRow(OwnPoint)).ToHaveAttributeAsync("data-status", "Activating");
        Assert.Equal("Activating", (await page.PointSymbolAsync(OwnPoint))?.Status);
        Assert.Empty(page.ScriptErrors);
    }

    [Fact]
    public async Task Opened_with_no_network_the_page_shows_the_last_picture_with_its_age_read_only_and_catches_up_when_the_network_returns()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = server.CreateClient();
        await using var page = await MapPage.OpenAsync(chromium.Browser, server.BaseAddress, output, MapPage.Phone, phone: true, user: "sara");
        await page.WaitUntilLiveAsync();
        var seen = await page.LastSeqAsync();
        // The service worker has the page's files and the page has kept its picture once it is controlled and a save is due.
        await page.WaitForAsync("() => navigator.serviceWorker.controller !== null && localStorage.getItem('lagesbild.picture.live') !== null", TimeSpan.FromSeconds(20));

        await page.Page.Context.SetOfflineAsync(true);
        var seq = await http.ChangeStatusAsync(OwnPoint, "Activating");
        await page.Page.ReloadAsync(new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        await Expect(page.StatusSaying(new System.Text.RegularExpressions.Regex(@"Ingen kontakt sedan \d\d:\d\d:\d\d.*för \d+ s sedan"))).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.WaitForAsync($"() => window.lagesbild.lastSeq() === {seen}");
        await Expect(page.PointRow(OwnPoint)).ToHaveAttributeAsync("data-status", "Inactive");
        Assert.NotEqual("connected", await page.ConnectionAsync());
        // Clearly read-only: the banner says so, and a change the role may make waits, saying it is the network.
        await Expect(page.StatusSaying("bara läsning")).ToBeVisibleAsync();
        await page.Page.Locator($"[data-key=\"SafetyPoint/{OwnPoint}\"]").First.ClickAsync();
        await Expect(page.Page.Locator("#details button[data-command=\"ChangeSafetyPointStatus\"]")).ToBeDisabledAsync();
        await Expect(page.Page.Locator("#details p.refused")).ToContainTextAsync("Ingen kontakt med servern");
        output.WriteLine($"offline: {await page.ScreenshotAsync("phone-offline")}");

        await page.Page.Context.SetOfflineAsync(false);
        await page.WaitForSeqAsync(seq, TimeSpan.FromSeconds(30));
        await Expect(page.PointRow(OwnPoint)).ToHaveAttributeAsync("data-status", "Activating");
        Assert.Equal("connected", await page.ConnectionAsync());
        await Expect(page.Page.Locator("#details button[data-command=\"ChangeSafetyPointStatus\"]")).ToBeEnabledAsync();
        await Expect(page.StatusSaying("bara läsning")).ToHaveCountAsync(0);
    }

    /// <summary>Presses Tab until <paramref name="selector"/> has the focus, as a keyboard user moves through the page.</summary>
    private static async Task TabToAsync(MapPage page, string selector)
    {
        for (var i = 0; i < 150; i++)
        {
            if (await page.Page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector))
                return;
            await page.Page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"{selector} was not reached with the Tab key");
    }
}
