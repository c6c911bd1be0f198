using Microsoft.Playwright;

namespace SpeakUp.Web.Tests.Support;

/// <summary>
/// Debian's headless Chromium, driven by Playwright. Never a browser download: without /usr/bin/chromium the browser tests
/// skip, except under CI=true, where that is a setup error and they fail (.ci/run installs chromium and fonts-noto-core).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser? Browser { get; private set; }

    public string? UnavailableReason { get; private set; }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            UnavailableReason = $"{ChromiumPath} is missing (apt-get install chromium fonts-noto-core)";
            if (IsCi)
            {
                throw new InvalidOperationException(UnavailableReason + "; CI=true, so the browser tests must not be skipped.");
            }

            return;
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A fresh browser profile (its own cookies, so its own chat) sized like a cheap Android phone.</summary>
    public Task<IBrowserContext> NewPhoneAsync(string locale = "hi-IN", int width = 360, int height = 740, bool mobile = true)
    {
        var browser = Browser ?? throw new InvalidOperationException(UnavailableReason);
        return browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 2,
            IsMobile = mobile,
            HasTouch = mobile,
            Locale = locale,
            TimezoneId = "Asia/Kolkata",
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
