using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SpeakUp.Core.Messaging;
using SpeakUp.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SpeakUp.Web.Tests;

/// <summary>
/// End to end in real headless Chromium: the page, the core and Garnet, as a supporter on a 360 px phone uses them.
/// </summary>
[Collection(ChatServerDefinition.Name)]
public sealed class WebChatBrowserTests(ChatServerFixture server, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Xss = "<img src=x onerror=alert(1)>";

    private WebChatHost Host => server.Host;

    [SkippableFact]
    public async Task Joining_in_hindi_by_tapping_buttons_shows_todays_hashtag()
    {
        await using var phone = await OpenAsync();

        await JoinInHindiAsync(phone.Page);

        await Expect(Log(phone.Page)).ToContainTextAsync("बधाई हो! आप राजस्थान से अभियान से जुड़ गए हैं।");
        await Expect(Log(phone.Page)).ToContainTextAsync("आज का हैशटैग: " + ShiftedTimeProvider.CampaignHashtag);
        phone.AssertNoErrors();
    }

    [SkippableFact]
    public async Task Today_command_shows_the_hashtag_and_the_joined_chat_is_captured()
    {
        await using var phone = await OpenAsync();
        await JoinInHindiAsync(phone.Page);
        var hashtags = Log(phone.Page).Locator(".row.bot", new() { HasText = "आज का हैशटैग" });
        await Expect(hashtags).ToHaveCountAsync(1);

        await phone.Page.Locator("#text").FillAsync("/today");
        await phone.Page.Locator("#send").ClickAsync();

        await Expect(hashtags).ToHaveCountAsync(2);
        await Expect(hashtags.Last).ToContainTextAsync(ShiftedTimeProvider.CampaignHashtag);
        await Expect(Log(phone.Page).Locator(".row.me").Last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^/today"));
        await AssertDevanagariFontAsync(phone.Page, hashtags.Last);

        // The screenshot README shows: the joined chat, with today's hashtag on screen.
        await hashtags.Last.EvaluateAsync("row => row.scrollIntoView({ block: 'start' })");
        var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", "web-chat.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await phone.Page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        if (Environment.GetEnvironmentVariable("SPEAKUP_UPDATE_DOCS") == "1")
        {
            // README's screenshot is refreshed on request only, so a test run leaves the work tree clean.
            Directory.CreateDirectory(RepoPaths.Docs);
            File.Copy(shot, Path.Combine(RepoPaths.Docs, "web-chat.png"), overwrite: true);
        }
        Assert.True(new FileInfo(shot).Length > 10_000);
        phone.AssertNoErrors();
    }

    [SkippableFact]
    public async Task Reload_keeps_history()
    {
        await using var phone = await OpenAsync();
        await JoinInHindiAsync(phone.Page);
        var rows = Log(phone.Page).Locator(".row");
        var count = await rows.CountAsync();

        await phone.Page.ReloadAsync();

        await Expect(rows).ToHaveCountAsync(count);
        await Expect(Log(phone.Page)).ToContainTextAsync(ShiftedTimeProvider.CampaignHashtag);
        await Expect(phone.Page.Locator("#start")).ToBeHiddenAsync();
        phone.AssertNoErrors();
    }

    [SkippableFact]
    public async Task Markup_typed_by_a_supporter_shows_as_text()
    {
        await using var phone = await OpenAsync();
        var dialogs = 0;
        phone.Page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };
        await StartAsync(phone.Page);
        await TapAsync(phone.Page, "हिन्दी");
        await TapAsync(phone.Page, "हाँ, रोज़ भेजिए");

        await phone.Page.Locator("#text").FillAsync(Xss);
        await phone.Page.Locator("#send").ClickAsync();

        await Expect(Log(phone.Page).Locator(".row.me").Last.Locator(".bubble > span").First).ToHaveTextAsync(Xss);
        await Expect(Log(phone.Page)).ToContainTextAsync("\"" + Xss + "\" नाम का कोई राज्य नहीं मिला");
        await Expect(Log(phone.Page).Locator("img")).ToHaveCountAsync(0);
        Assert.Equal(0, dialogs);
        phone.AssertNoErrors();
    }

    [SkippableFact]
    public async Task Page_fits_a_360px_phone_without_horizontal_scroll()
    {
        await using var phone = await OpenAsync();
        await JoinInHindiAsync(phone.Page);
        await phone.Page.Locator("#text").FillAsync("/help");
        await phone.Page.Locator("#send").ClickAsync();
        await Expect(Log(phone.Page)).ToContainTextAsync("/forgetme");

        var widths = await phone.Page.EvaluateAsync<JsonElement>(
            "() => [document.documentElement, document.body, document.getElementById('log'), ...document.querySelectorAll('.keyrow')].map(e => [e.scrollWidth, e.clientWidth])");

        Assert.Equal(360, await phone.Page.EvaluateAsync<int>("() => document.documentElement.clientWidth"));
        foreach (var pair in widths.EnumerateArray())
        {
            Assert.True(pair[0].GetInt32() <= pair[1].GetInt32(), $"scrollWidth {pair[0]} > clientWidth {pair[1]}");
        }
    }

    [SkippableFact]
    public async Task Desktop_shows_the_chat_as_a_centred_phone_sized_column()
    {
        await using var phone = await OpenAsync(width: 1280, height: 800, mobile: false);
        await JoinInHindiAsync(phone.Page);

        var box = await phone.Page.Locator("#app").BoundingBoxAsync();

        Assert.NotNull(box);
        Assert.InRange(box.Width, 360, 480);
        Assert.InRange(box.X + (box.Width / 2), 630, 650);
        Assert.True(await phone.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        var shot = Path.Combine(AppContext.BaseDirectory, "screenshots", "web-chat-desktop.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        await phone.Page.ScreenshotAsync(new PageScreenshotOptions { Path = shot });
        phone.AssertNoErrors();
    }

    [SkippableFact]
    public async Task Share_buttons_open_in_a_new_tab_without_an_opener()
    {
        await using var phone = await OpenAsync();
        await JoinInHindiAsync(phone.Page);

        var share = Log(phone.Page).Locator("a.key").First;

        await Expect(share).ToHaveAttributeAsync("target", "_blank");
        await Expect(share).ToHaveAttributeAsync("rel", new System.Text.RegularExpressions.Regex("noopener"));
        Assert.StartsWith("https://", await share.GetAttributeAsync("href"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Language_switch_relabels_the_page_and_tells_the_bot()
    {
        await using var phone = await OpenAsync(locale: "en-US");
        await Expect(phone.Page.Locator("#start-button")).ToHaveTextAsync("Start");
        await StartAsync(phone.Page);

        await phone.Page.Locator("#langs").GetByRole(AriaRole.Button, new() { Name = "हिन्दी", Exact = true }).ClickAsync();

        await Expect(phone.Page.Locator("#text")).ToHaveAttributeAsync("placeholder", "संदेश लिखें");
        await Expect(Log(phone.Page).Locator(".row.bot").Last).ToContainTextAsync("क्या आप रोज़ सुबह अभियान का हैशटैग");
        await Expect(phone.Page.Locator("html")).ToHaveAttributeAsync("lang", "hi");
    }

    [SkippableFact]
    public async Task Broadcast_reaches_an_open_page_in_real_time()
    {
        await using var phone = await OpenAsync();
        await StartAsync(phone.Page);
        var chat = await ChatOfAsync(phone.Context);

        var sent = await Host.Services.GetServices<IChannelSender>().Single(s => s.Channel == "web")
            .SendAsync(new OutboundMessage(chat, MessageText.Plain("11 बजे सब एक साथ पोस्ट करें")), default);

        Assert.Equal(SendOutcome.Sent, sent.Outcome);
        await Expect(Log(phone.Page).Locator(".row.bot").Last).ToContainTextAsync("11 बजे सब एक साथ पोस्ट करें");
    }

    [SkippableFact]
    public async Task Message_sent_while_the_page_was_closed_is_there_on_the_next_visit()
    {
        await using var phone = await OpenAsync();
        await StartAsync(phone.Page);
        var chat = await ChatOfAsync(phone.Context);
        await phone.Page.CloseAsync();

        await Host.Services.GetServices<IChannelSender>().Single(s => s.Channel == "web")
            .SendAsync(new OutboundMessage(chat, MessageText.Plain("अभी पोस्ट करें")), default);
        var page = await phone.Context.NewPageAsync();
        await page.GotoAsync(Host.BaseUrl.ToString());

        await Expect(Log(page).Locator(".row.bot").Last).ToContainTextAsync("अभी पोस्ट करें");
    }

    [SkippableFact]
    public async Task Widget_opens_the_chat_on_an_allowed_site()
    {
        // The campaign's site: another origin on this machine, embedding the one-line snippet.
        await using var campaign = await CampaignSite.StartAsync();
        await using var host = await WebChatHost.StartAsync(server.Garnet, new Dictionary<string, string?> { ["Web:AllowedOrigins:0"] = campaign.Origin });
        campaign.Embed(host.BaseUrl);
        await using var phone = await OpenAsync(width: 800, height: 900);

        await phone.Page.GotoAsync(campaign.Origin + "/");
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "हमसे बात करें" }).ClickAsync();

        var frame = phone.Page.FrameLocator("iframe");
        await frame.Locator("#start-button").ClickAsync();
        await Expect(frame.Locator("#log")).ToContainTextAsync("अपनी भाषा चुनें");
        await Expect(phone.Page.GetByRole(AriaRole.Button, new() { Name = "चैट बंद करें" })).ToBeVisibleAsync();
        phone.AssertNoErrors();
    }

    [SkippableFact]
    public async Task Chat_cannot_be_framed_by_a_site_not_allowed()
    {
        await using var stranger = await CampaignSite.StartAsync();
        stranger.Embed(Host.BaseUrl);
        await using var phone = await OpenAsync(width: 800, height: 900);
        var blocked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        phone.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("frame-ancestors", StringComparison.Ordinal))
            {
                blocked.TrySetResult(message.Text);
            }
        };

        await phone.Page.GotoAsync(stranger.Origin + "/");
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "हमसे बात करें" }).ClickAsync();

        Assert.Contains("frame-ancestors", await blocked.Task.WaitAsync(TimeSpan.FromSeconds(15)), StringComparison.Ordinal);
        await Expect(phone.Page.FrameLocator("iframe").Locator("#start-button")).ToHaveCountAsync(0);
    }

    // ---- Helpers ------------------------------------------------------------------------------------------------

    private async Task<Phone> OpenAsync(string locale = "hi-IN", int width = 360, int height = 740, bool mobile = true)
    {
        Skip.If(browser.Browser is null, browser.UnavailableReason);
        var context = await browser.NewPhoneAsync(locale, width, height, mobile);
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var phone = new Phone(context, page);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                phone.Errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => phone.Errors.Add(error);
        if (width == 360 || !mobile)
        {
            await page.GotoAsync(Host.BaseUrl + "chat");
        }

        return phone;
    }

    private static ILocator Log(IPage page) => page.Locator("#log");

    private static async Task StartAsync(IPage page)
    {
        await page.Locator("#start-button").ClickAsync();
        await Expect(Log(page).Locator(".row.bot")).ToHaveCountAsync(1);
    }

    /// <summary>Taps the newest bot button with this label (the language buttons also live in the page's bar).</summary>
    private static async Task TapAsync(IPage page, string label)
    {
        var rows = Log(page).Locator(".row");
        var before = await rows.CountAsync();
        await Log(page).GetByRole(AriaRole.Button, new() { Name = label, Exact = true }).Last.ClickAsync();
        await Expect(rows).Not.ToHaveCountAsync(before);
    }

    private static async Task JoinInHindiAsync(IPage page)
    {
        await Expect(page.Locator("#start-button")).ToHaveTextAsync("शुरू करें");
        await StartAsync(page);
        await TapAsync(page, "हिन्दी");
        await TapAsync(page, "हाँ, रोज़ भेजिए");

        // Rajasthan is on the third page of states; turning a page edits the same message.
        var keyboard = Log(page).Locator(".row.bot").Last;
        await Log(page).GetByRole(AriaRole.Button, new() { Name = "आगे ▶", Exact = true }).ClickAsync();
        await Expect(keyboard).ToContainTextAsync("पेज 2/4");
        await Log(page).GetByRole(AriaRole.Button, new() { Name = "आगे ▶", Exact = true }).ClickAsync();
        await Expect(keyboard).ToContainTextAsync("पेज 3/4");
        await Log(page).GetByRole(AriaRole.Button, new() { Name = "राजस्थान", Exact = true }).ClickAsync();
        await Expect(Log(page)).ToContainTextAsync(ShiftedTimeProvider.CampaignHashtag);
    }

    private static async Task<ChatKey> ChatOfAsync(IBrowserContext context)
    {
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == WebIdentity.CookieName);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        return new ChatKey("web", WebIdentity.ChatIdFor(cookie.Value));
    }

    /// <summary>
    /// The text of the bubble must be drawn with a font that has Devanagari glyphs: Chromium reports which fonts it used.
    /// A machine without one draws boxes, and that fails here rather than passing with an unreadable page.
    /// </summary>
    private static async Task AssertDevanagariFontAsync(IPage page, ILocator bubble)
    {
        await bubble.EvaluateAsync("e => e.setAttribute('data-font-probe', '1')");
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("DOM.enable");
        await cdp.SendAsync("CSS.enable");
        var document = await cdp.SendAsync("DOM.getDocument", new Dictionary<string, object> { ["depth"] = -1 });
        var node = await cdp.SendAsync("DOM.querySelector", new Dictionary<string, object>
        {
            ["nodeId"] = document!.Value.GetProperty("root").GetProperty("nodeId").GetInt32(),
            ["selector"] = "[data-font-probe] .bubble > span",
        });
        var fonts = await cdp.SendAsync("CSS.getPlatformFontsForNode", new Dictionary<string, object> { ["nodeId"] = node!.Value.GetProperty("nodeId").GetInt32() });
        var families = fonts!.Value.GetProperty("fonts").EnumerateArray().Select(f => f.GetProperty("familyName").GetString()!).ToList();
        Assert.Contains(families, f => f.Contains("Devanagari", StringComparison.Ordinal));
    }

    private sealed class Phone(IBrowserContext context, IPage page) : IAsyncDisposable
    {
        public IBrowserContext Context { get; } = context;

        public IPage Page { get; } = page;

        public List<string> Errors { get; } = [];

        public void AssertNoErrors() => Assert.True(Errors.Count == 0, string.Join("\n", Errors));

        public async ValueTask DisposeAsync() => await Context.DisposeAsync();
    }
}
