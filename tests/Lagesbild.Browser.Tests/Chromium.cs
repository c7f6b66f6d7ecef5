using Microsoft.Playwright;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Lagesbild.Browser.Tests;

/// <summary>
/// Debian's Chromium, driven by Playwright's bundled driver. Playwright never downloads a browser
/// here: it is launched from /usr/bin/chromium (test.sh installs it), headless, one per test run.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public const string Collection = "chromium";
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"{ExecutablePath} is missing: apt-get install -y chromium (test.sh does it).");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Chromium.Collection)]
public sealed class ChromiumCollection : ICollectionFixture<Chromium>;
