using System.Text.Json;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Web;

/// <summary>
/// Turns messages into history entries. Text stays text: spans carry a style name, never markup, and the page builds its
/// DOM with textContent, so nothing a supporter typed (or a campaign file holds) can become HTML.
/// </summary>
internal static class WebMessageRenderer
{
    public static WebEntry FromBot(OutboundMessage message, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buttons = message.Buttons.Count == 0
            ? null
            : message.Buttons
                .Select(row => (IReadOnlyList<WebButton>)row.Select(b => new WebButton(b.Label, b.Data, SafeUrl(b.Url))).Where(b => b.Data is not null || b.Url is not null).ToList())
                .Where(row => row.Count > 0)
                .ToList();
        return new WebEntry
        {
            From = "bot",
            At = at.ToUnixTimeMilliseconds(),
            Spans = Spans(message.Text),
            Buttons = buttons is { Count: > 0 } ? buttons : null,
            Replaces = IsMessageId(message.ReplacesMessageId) ? message.ReplacesMessageId : null,
        };
    }

    public static WebEntry FromSupporter(string text, DateTimeOffset at, string? media = null) => new()
    {
        From = "me",
        At = at.ToUnixTimeMilliseconds(),
        Spans = text.Length == 0 ? [] : [new WebSpan(text)],
        Media = media,
    };

    public static byte[] Serialize(WebEntry entry) => JsonSerializer.SerializeToUtf8Bytes(entry, WebJson.Context.WebEntry);

    public static WebEntry Deserialize(string json) =>
        JsonSerializer.Deserialize(json, WebJson.Context.WebEntry) ?? throw new JsonException("A history entry is null.");

    /// <summary>Web message ids are sequence numbers: digits only.</summary>
    public static bool IsMessageId(string? value) =>
        value is { Length: > 0 and <= 19 } && value.All(char.IsAsciiDigit);

    private static List<WebSpan> Spans(MessageText text)
    {
        var spans = new List<WebSpan>(text.Spans.Count);
        foreach (var span in text.Spans)
        {
            spans.Add(span.Style switch
            {
                SpanStyle.Bold => new WebSpan(span.Text, "b"),
                SpanStyle.Italic => new WebSpan(span.Text, "i"),
                SpanStyle.Link when SafeUrl(span.Url) is { } url => new WebSpan(span.Text, "a", url),
                _ => new WebSpan(span.Text),
            });
        }

        return spans;
    }

    /// <summary>Only http(s) links reach the page: a javascript: or data: URL would run in the chat's origin.</summary>
    internal static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;
}
