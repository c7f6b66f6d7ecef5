using Lagesbild.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Lagesbild.Browser.Tests;

[Collection(Chromium.Collection)]
public sealed class ExerciseTests(Chromium chromium, ServerFixture fixture, ITestOutputHelper output) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_exercise_is_shown_under_its_name_marked_as_an_exercise()
    {
        var created = await fixture.Http.SendJsonAsync("POST", "api/pictures", """{"id":"ex-namn","name":"STADSÖ 24","description":"Elavbrott i Söderort"}""");
        created.EnsureSuccessStatusCode();

        await using var page = await MapPage.OpenAsync(chromium.Browser, fixture.Server.BaseAddress, output);
        await page.Page.GotoAsync(new Uri(fixture.Server.BaseAddress, "?user=anna&picture=ex-namn").ToString());
        await page.WaitUntilLiveAsync();
        await Expect(page.Page.Locator(".exercise-banner")).ToHaveTextAsync("ÖVNING – övningen ”STADSÖ 24”, inte det verkliga läget");
        await Expect(page.Page).ToHaveTitleAsync("ÖVNING – STADSÖ 24 – Lägesbild Stockholm");
        Assert.Empty(page.ScriptErrors);
    }
}
