using System.Text.Json.Nodes;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Web.Tests;

public sealed class WebMessageRendererTests
{
    private static readonly ChatKey Chat = new("web", "abc");
    private static readonly DateTimeOffset At = new(2026, 11, 25, 4, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Spans_keep_their_style_and_text_stays_text()
    {
        var text = new MessageText.Builder()
            .Append("नमस्ते ")
            .Append("<b>bold</b>", SpanStyle.Bold)
            .Append(" & ", SpanStyle.Italic)
            .Link("link", new Uri("https://x.com/intent/tweet?text=a"))
            .Build();

        var json = Render(new OutboundMessage(Chat, text));

        var spans = json["spans"]!.AsArray();
        Assert.Equal("नमस्ते ", (string)spans[0]!["t"]!);
        Assert.Null(spans[0]!["s"]);
        Assert.Equal("<b>bold</b>", (string)spans[1]!["t"]!);
        Assert.Equal("b", (string)spans[1]!["s"]!);
        Assert.Equal("i", (string)spans[2]!["s"]!);
        Assert.Equal("a", (string)spans[3]!["s"]!);
        Assert.Equal("https://x.com/intent/tweet?text=a", (string)spans[3]!["u"]!);
        Assert.Equal("bot", (string)json["from"]!);
        Assert.Equal(At.ToUnixTimeMilliseconds(), (long)json["at"]!);
    }

    [Fact]
    public void Html_sensitive_characters_are_escaped_in_the_json_but_hindi_is_not()
    {
        var bytes = WebMessageRenderer.Serialize(WebMessageRenderer.FromSupporter("<img src=x onerror=alert(1)> राजस्थान", At));
        var raw = System.Text.Encoding.UTF8.GetString(bytes);

        Assert.DoesNotContain("<img", raw, StringComparison.Ordinal);
        Assert.Contains("राजस्थान", raw, StringComparison.Ordinal);
        Assert.Equal("<img src=x onerror=alert(1)> राजस्थान", (string)JsonNode.Parse(bytes)!["spans"]![0]!["t"]!);
    }

    [Fact]
    public void Buttons_render_as_rows_of_data_or_url_buttons()
    {
        var message = new OutboundMessage(Chat, MessageText.Plain("choose"))
        {
            Buttons =
            [
                [Button.Callback("हिन्दी", "l:hi"), Button.Callback("English", "l:en")],
                [Button.Link("Share", new Uri("https://wa.me/?text=hi"))],
            ],
        };

        var rows = Render(message)["buttons"]!.AsArray();

        Assert.Equal(2, rows.Count);
        Assert.Equal("हिन्दी", (string)rows[0]![0]!["l"]!);
        Assert.Equal("l:hi", (string)rows[0]![0]!["d"]!);
        Assert.Null(rows[0]![0]!["u"]);
        Assert.Equal("https://wa.me/?text=hi", (string)rows[1]![0]!["u"]!);
        Assert.Null(rows[1]![0]!["d"]);
    }

    [Fact]
    public void Message_without_buttons_has_no_buttons_field()
    {
        Assert.Null(Render(new OutboundMessage(Chat, MessageText.Plain("hi")))["buttons"]);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("not a url")]
    public void Only_http_links_are_rendered_as_links(string url)
    {
        var text = new MessageText([new TextSpan("click", SpanStyle.Link, url)]);

        var span = Render(new OutboundMessage(Chat, text))["spans"]![0]!;

        Assert.Null(span["s"]);
        Assert.Null(span["u"]);
        Assert.Equal("click", (string)span["t"]!);
    }

    [Theory]
    [InlineData("12", "12")]
    [InlineData("abc", null)]
    [InlineData(null, null)]
    public void A_replacement_names_the_message_it_replaces(string? replaces, string? expected)
    {
        var json = Render(new OutboundMessage(Chat, MessageText.Plain("page 2")) { ReplacesMessageId = replaces });

        Assert.Equal(expected, (string?)json["replaces"]);
    }

    [Fact]
    public void Seq_is_left_to_the_append_script()
    {
        Assert.Null(Render(new OutboundMessage(Chat, MessageText.Plain("x")))["seq"]);
    }

    [Theory]
    [InlineData("{\"seq\":42,\"from\":\"bot\"}", true, 42)]
    [InlineData("{\"from\":\"bot\",\"seq\":42}", false, 0)]
    [InlineData("{\"seq\":x,\"from\":\"bot\"}", false, 0)]
    public void Sequence_is_read_from_the_head_of_an_entry(string json, bool ok, long seq)
    {
        Assert.Equal(ok, WebChatHistory.TryReadSeq(json, out var read));
        Assert.Equal(seq, read);
    }

    private static JsonObject Render(OutboundMessage message) =>
        JsonNode.Parse(WebMessageRenderer.Serialize(WebMessageRenderer.FromBot(message, At)))!.AsObject();
}
