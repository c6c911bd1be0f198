using SpeakUp.Core.Messaging;
using SpeakUp.Testing.Telegram;

namespace SpeakUp.Telegram.Tests;

public class TelegramMessageRendererTests
{
    private static string One(MessageText text) => Assert.Single(TelegramMessageRenderer.RenderHtml(text));

    [Fact]
    public void Styles_render_as_telegram_html_tags()
    {
        var text = new MessageText([
            new TextSpan("Today: "),
            new TextSpan("#SpeakUpForFarmers", SpanStyle.Bold),
            new TextSpan(" "),
            new TextSpan("why", SpanStyle.Italic),
            new TextSpan(" "),
            new TextSpan("read more", SpanStyle.Link, "https://example.org/a?b=1&c=2"),
        ]);

        Assert.Equal(
            "Today: <b>#SpeakUpForFarmers</b> <i>why</i> <a href=\"https://example.org/a?b=1&amp;c=2\">read more</a>",
            One(text));
    }

    [Fact]
    public void Hostile_img_tag_in_user_text_is_escaped()
    {
        var html = One(MessageText.Plain("<img src=x onerror=alert(1)>"));

        Assert.Equal("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Null(FakeTelegramHtml.Validate(html));
        Assert.Equal("<img src=x onerror=alert(1)>", FakeTelegramHtml.ToPlainText(html, "HTML"));
    }

    [Fact]
    public void Closing_tags_and_javascript_links_in_bold_text_stay_text()
    {
        var html = One(new MessageText([new TextSpan("</b><a href=\"javascript:alert(1)\">x</a> & co", SpanStyle.Bold)]));

        Assert.Equal("<b>&lt;/b&gt;&lt;a href=\"javascript:alert(1)\"&gt;x&lt;/a&gt; &amp; co</b>", html);
        Assert.Null(FakeTelegramHtml.Validate(html));
    }

    [Fact]
    public void Quote_in_link_address_cannot_break_out_of_the_attribute()
    {
        var html = One(new MessageText([new TextSpan("<x>", SpanStyle.Link, "https://example.org/\"><b>oops")]));

        Assert.StartsWith("<a href=\"https://example.org/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><b>", html, StringComparison.Ordinal);
        Assert.EndsWith("\">&lt;x&gt;</a>", html, StringComparison.Ordinal);
        Assert.Null(FakeTelegramHtml.Validate(html));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<b>")]
    [InlineData("not a url")]
    [InlineData(null)]
    public void Link_with_unsafe_or_missing_address_renders_as_plain_text(string? url)
    {
        var html = One(new MessageText([new TextSpan("click <me>", SpanStyle.Link, url)]));

        Assert.Equal("click &lt;me&gt;", html);
    }

    [Fact]
    public void Hindi_text_passes_through_unchanged()
    {
        Assert.Equal("<b>आज का हैशटैग</b>", One(new MessageText([new TextSpan("आज का हैशटैग", SpanStyle.Bold)])));
    }

    [Fact]
    public void Long_text_is_split_at_line_breaks_within_the_limit()
    {
        var line = new string('a', 99) + "\n"; // 100 chars a line
        var text = new MessageText([new TextSpan(string.Concat(Enumerable.Repeat(line, 100)), SpanStyle.Bold)]); // 10,000 chars

        var parts = TelegramMessageRenderer.RenderHtml(text);

        Assert.Equal(3, parts.Count);
        Assert.All(parts, p =>
        {
            Assert.Null(FakeTelegramHtml.Validate(p));
            var visible = FakeTelegramHtml.ToPlainText(p, "HTML");
            Assert.True(visible.Length <= 4096, $"part of {visible.Length} chars");
            Assert.EndsWith("\n", visible, StringComparison.Ordinal);
        });
        Assert.Equal(text.ToPlainText(), string.Concat(parts.Select(p => FakeTelegramHtml.ToPlainText(p, "HTML"))));
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_cut_at_a_space_then_hard()
    {
        var words = string.Join(' ', Enumerable.Repeat("word", 2000)); // 9,999 chars, no line breaks
        var parts = TelegramMessageRenderer.RenderHtml(MessageText.Plain(words));
        Assert.All(parts, p => Assert.True(p.Length <= 4096));
        Assert.Equal(words, string.Concat(parts));

        var solid = new string('x', 5000);
        var hard = TelegramMessageRenderer.RenderHtml(MessageText.Plain(solid));
        Assert.Equal([4096, 904], hard.Select(p => p.Length));
    }

    [Fact]
    public void Split_never_cuts_a_surrogate_pair()
    {
        var text = new string('x', 4095) + "😀" + "tail";

        var parts = TelegramMessageRenderer.RenderHtml(MessageText.Plain(text));

        Assert.Equal(new string('x', 4095), parts[0]);
        Assert.Equal("😀tail", parts[1]);
    }

    [Fact]
    public void Escaping_does_not_count_against_the_limit()
    {
        var text = MessageText.Plain(new string('<', 4096));

        var html = One(text);

        Assert.Equal(4096 * 4, html.Length);
    }

    [Fact]
    public void Empty_or_blank_text_renders_no_message()
    {
        Assert.Empty(TelegramMessageRenderer.RenderHtml(MessageText.Empty));
        Assert.Empty(TelegramMessageRenderer.RenderHtml(MessageText.Plain(" \n ")));
    }

    [Fact]
    public void Buttons_render_as_inline_keyboard_rows()
    {
        IReadOnlyList<IReadOnlyList<Button>> rows =
        [
            [Button.Callback("हिन्दी", "lang:hi"), Button.Callback("English", "lang:en")],
            [Button.Link("Site", new Uri("https://example.org/"))],
        ];

        var keyboard = TelegramMessageRenderer.RenderKeyboard(rows)!;

        var k = keyboard.InlineKeyboard.Select(r => r.ToList()).ToList();
        Assert.Equal(2, k.Count);
        Assert.Equal(("हिन्दी", "lang:hi"), (k[0][0].Text, k[0][0].CallbackData));
        Assert.Equal(("English", "lang:en"), (k[0][1].Text, k[0][1].CallbackData));
        Assert.Equal(("Site", "https://example.org/"), (k[1][0].Text, k[1][0].Url));
        Assert.Null(TelegramMessageRenderer.RenderKeyboard([]));
    }
}
