using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpeakUp.Testing.Telegram;

/// <summary>Telegram's HTML parse mode, as strictly as the real API reads it: the fake refuses what Telegram would refuse.</summary>
public static class FakeTelegramHtml
{
    private static readonly HashSet<string> Tags = new(StringComparer.Ordinal)
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span", "tg-spoiler", "tg-emoji", "blockquote",
    };

    /// <summary>Null when Telegram would accept the text; otherwise the reason, worded like Telegram's "can't parse entities" error.</summary>
    public static string? Validate(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var open = new Stack<string>();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '<')
            {
                var close = html.IndexOf('>', i + 1);
                if (close < 0)
                {
                    return Err("Unclosed start tag", i);
                }

                var inner = html[(i + 1)..close];
                if (inner.StartsWith('/'))
                {
                    var name = inner[1..].Trim();
                    if (open.Count == 0 || open.Peek() != name)
                    {
                        return Err($"Unmatched end tag \"{name}\"", i);
                    }

                    open.Pop();
                }
                else
                {
                    var space = inner.IndexOfAny([' ', '\t', '\n']);
                    var name = space < 0 ? inner : inner[..space];
                    if (!Tags.Contains(name))
                    {
                        return Err($"Unsupported start tag \"{name}\"", i);
                    }

                    if (name == "a")
                    {
                        var href = AttributeValue(inner, "href");
                        if (href is null || !Uri.TryCreate(WebUtility.HtmlDecode(href), UriKind.Absolute, out var uri)
                            || uri.Scheme is not ("http" or "https" or "tg"))
                        {
                            return Err("Unsupported URL protocol", i);
                        }
                    }

                    open.Push(name);
                }

                i = close + 1;
                continue;
            }

            if (c == '&')
            {
                var semi = html.IndexOf(';', i + 1);
                var entity = semi < 0 ? "" : html[(i + 1)..semi];
                if (!(entity is "lt" or "gt" or "amp" or "quot" || (entity.StartsWith('#') && entity.Length > 1)))
                {
                    return Err("Character entity expected", i);
                }

                i = semi + 1;
                continue;
            }

            i++;
        }

        return open.Count == 0 ? null : Err($"Can't find end tag corresponding to start tag \"{open.Peek()}\"", html.Length);
    }

    /// <summary>The text a person sees: tags removed, entities decoded (only for parse_mode HTML; other text is returned as is).</summary>
    public static string ToPlainText(string text, string? parseMode)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '<')
            {
                var close = text.IndexOf('>', i + 1);
                if (close < 0)
                {
                    sb.Append(text, i, text.Length - i);
                    break;
                }

                i = close + 1;
                continue;
            }

            sb.Append(text[i]);
            i++;
        }

        return WebUtility.HtmlDecode(sb.ToString());
    }

    internal static IReadOnlyList<IReadOnlyList<FakeInlineButton>> ReadKeyboard(JsonNode? replyMarkup)
    {
        if (replyMarkup is not JsonObject markup || markup["inline_keyboard"] is not JsonArray rows)
        {
            return [];
        }

        var result = new List<IReadOnlyList<FakeInlineButton>>();
        foreach (var row in rows.OfType<JsonArray>())
        {
            result.Add([.. row.OfType<JsonObject>().Select(b => new FakeInlineButton(
                Str(b["text"]) ?? "",
                Str(b["callback_data"]),
                Str(b["url"])))]);
        }

        return result;
    }

    private static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string? AttributeValue(string tag, string attribute)
    {
        var at = tag.IndexOf(attribute + "=", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = at + attribute.Length + 1;
        if (start >= tag.Length)
        {
            return null;
        }

        var quote = tag[start];
        if (quote is '"' or '\'')
        {
            var end = tag.IndexOf(quote, start + 1);
            return end < 0 ? null : tag[(start + 1)..end];
        }

        var stop = tag.IndexOf(' ', start);
        return stop < 0 ? tag[start..] : tag[start..stop];
    }

    private static string Err(string what, int offset) =>
        string.Create(CultureInfo.InvariantCulture, $"Bad Request: can't parse entities: {what} at byte offset {offset}");
}
