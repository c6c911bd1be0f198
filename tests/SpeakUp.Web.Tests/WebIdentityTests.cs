using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace SpeakUp.Web.Tests;

public sealed class WebIdentityTests
{
    [Fact]
    public void Browser_ids_are_128_bit_base64url()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => WebIdentity.NewBrowserId()).ToList();

        Assert.All(ids, id => Assert.True(WebIdentity.IsBrowserId(id), id));
        Assert.Equal(100, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("12345")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA{}")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAA")]
    public void Anything_else_is_not_a_browser_id(string value)
    {
        Assert.False(WebIdentity.IsBrowserId(value));
    }

    [Fact]
    public void Chat_id_is_derived_from_but_does_not_reveal_the_browser_id()
    {
        var browser = WebIdentity.NewBrowserId();

        var chat = WebIdentity.ChatIdFor(browser);

        Assert.Equal(chat, WebIdentity.ChatIdFor(browser));
        Assert.NotEqual(browser, chat);
        Assert.NotEqual(chat, WebIdentity.ChatIdFor(WebIdentity.NewBrowserId()));
        Assert.Equal(22, chat.Length);
        Assert.DoesNotContain('.', chat);
    }

    [Theory]
    [InlineData("12345", true)]
    [InlineData("-1001234567890", true)]
    [InlineData("1-2", false)]
    [InlineData("-", false)]
    [InlineData("abc", false)]
    [InlineData("", false)]
    [InlineData("123456789012345678901", false)]
    public void Acted_user_ids_are_numeric_like_admin_ids(string value, bool valid)
    {
        Assert.Equal(valid, WebIdentity.IsUserId(value));
    }

    [Theory]
    [InlineData("http", false, "samesite=strict", false, false)]
    [InlineData("https", false, "samesite=strict", true, false)]
    [InlineData("https", true, "samesite=none", true, true)]
    [InlineData("http", true, "samesite=strict", false, false)]
    public void Cookie_is_http_only_strict_and_secure_over_https_and_partitioned_in_a_cross_site_frame(string scheme, bool embedded, string sameSite, bool secure, bool partitioned)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString("bot.example.org");

        var id = Identity(simulator: false).IssueCookie(context, embedded);

        var cookie = context.Response.Headers.SetCookie.ToString().ToLowerInvariant();
        Assert.True(WebIdentity.IsBrowserId(id));
        Assert.StartsWith(WebIdentity.CookieName + "=" + id.ToLowerInvariant(), cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains(sameSite, cookie, StringComparison.Ordinal);
        Assert.Equal(secure, cookie.Contains("; secure", StringComparison.Ordinal));
        Assert.Equal(partitioned, cookie.Contains("partitioned", StringComparison.Ordinal));
    }

    [Fact]
    public void Existing_browser_id_is_kept_when_the_cookie_is_renewed()
    {
        var id = WebIdentity.NewBrowserId();
        var context = new DefaultHttpContext();
        context.Request.Headers.Cookie = WebIdentity.CookieName + "=" + id;

        Assert.Equal(id, Identity(simulator: false).IssueCookie(context, embedded: false));
    }

    [Theory]
    [InlineData(false, "12345", 403, "impersonation_off")]
    [InlineData(true, "abc", 400, "bad_user_id")]
    public void Acting_as_a_user_is_refused_when_off_or_malformed(bool simulator, string actAs, int status, string code)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[WebIdentity.ActAsHeader] = actAs;

        var caller = Identity(simulator).ForBrowser(context, WebIdentity.NewBrowserId(), out var refusal);

        Assert.Null(caller);
        Assert.Equal(new WebRefusal(status, code), refusal);
    }

    [Fact]
    public void Simulator_acts_as_the_user_in_a_chat_of_its_own()
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString("?as=12345");

        var caller = Identity(simulator: true).ForBrowser(context, WebIdentity.NewBrowserId(), out _);

        Assert.Equal("12345", caller?.UserId);
        Assert.Equal("as.12345", caller?.Chat.ChatId);
    }

    [Fact]
    public void Anonymous_supporter_has_no_user_id_so_can_never_match_an_admin_id()
    {
        var browser = WebIdentity.NewBrowserId();

        var caller = Identity(simulator: true).ForBrowser(new DefaultHttpContext(), browser, out _);

        Assert.Null(caller?.UserId);
        Assert.Equal(WebIdentity.ChatIdFor(browser), caller?.Chat.ChatId);
    }

    private static WebIdentity Identity(bool simulator) =>
        new(history: null!, Options.Create(new WebChatOptions { Simulator = simulator }), TimeProvider.System);
}
