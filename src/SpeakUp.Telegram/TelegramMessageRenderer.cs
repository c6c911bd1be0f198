using System.Text;
using SpeakUp.Core.Messaging;
using Telegram.Bot.Types.ReplyMarkups;

namespace SpeakUp.Telegram;

/// <summary>
/// Renders channel-neutral <see cref="MessageText"/> as Telegram HTML (parse_mode HTML). Every span's text is escaped,
/// so nothing a supporter typed can become markup; only the span styles produce tags.
/// </summary>
internal static class TelegramMessageRenderer
{
    /// <summary>Telegram's limit for one message's text, counted after entities are parsed.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>
    /// The text as one or more HTML messages, each at most <paramref name="maxLength"/> visible characters, split at line
    /// breaks where possible. Parts that would be blank are dropped (Telegram rejects empty text); an empty text gives none.
    /// </summary>
    public static IReadOnlyList<string> RenderHtml(MessageText text, int maxLength = MaxTextLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var plain = text.ToPlainText();
        var parts = new List<string>();
        foreach (var (start, end) in SplitPoints(plain, maxLength))
        {
            if (string.IsNullOrWhiteSpace(plain[start..end]))
            {
                continue;
            }

            parts.Add(RenderRange(text, start, end));
        }

        return parts;
    }

    public static InlineKeyboardMarkup? RenderKeyboard(IReadOnlyList<IReadOnlyList<Button>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var keyboard = new List<List<InlineKeyboardButton>>();
        foreach (var row in rows)
        {
            var buttons = new List<InlineKeyboardButton>();
            foreach (var b in row)
            {
                if (b.Url is not null)
                {
                    buttons.Add(InlineKeyboardButton.WithUrl(b.Label, b.Url));
                }
                else if (b.Data is not null)
                {
                    buttons.Add(InlineKeyboardButton.WithCallbackData(b.Label, b.Data));
                }
            }

            if (buttons.Count > 0)
            {
                keyboard.Add(buttons);
            }
        }

        return keyboard.Count == 0 ? null : new InlineKeyboardMarkup(keyboard);
    }

    public static string Escape(string text) => Escape(text, attribute: false);

    private static string Escape(ReadOnlySpan<char> text, bool attribute)
    {
        var sb = new StringBuilder(text.Length + 16);
        AppendEscaped(sb, text, attribute);
        return sb.ToString();
    }

    private static void AppendEscaped(StringBuilder sb, ReadOnlySpan<char> text, bool attribute)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"' when attribute: sb.Append("&quot;"); break;
                default: sb.Append(c); break;
            }
        }
    }

    private static string RenderRange(MessageText text, int start, int end)
    {
        var sb = new StringBuilder((end - start) + 32);
        var offset = 0;
        foreach (var span in text.Spans)
        {
            var spanStart = offset;
            var spanEnd = offset + span.Text.Length;
            offset = spanEnd;
            var from = Math.Max(spanStart, start);
            var to = Math.Min(spanEnd, end);
            if (from >= to)
            {
                continue;
            }

            var piece = span.Text.AsSpan(from - spanStart, to - from);
            switch (span.Style)
            {
                case SpanStyle.Bold:
                    sb.Append("<b>");
                    AppendEscaped(sb, piece, attribute: false);
                    sb.Append("</b>");
                    break;
                case SpanStyle.Italic:
                    sb.Append("<i>");
                    AppendEscaped(sb, piece, attribute: false);
                    sb.Append("</i>");
                    break;
                case SpanStyle.Link when IsSafeUrl(span.Url):
                    sb.Append("<a href=\"");
                    AppendEscaped(sb, span.Url, attribute: true);
                    sb.Append("\">");
                    AppendEscaped(sb, piece, attribute: false);
                    sb.Append("</a>");
                    break;
                default:
                    // Plain text, and links whose address is not http(s)/tg: shown as text, never as a link.
                    AppendEscaped(sb, piece, attribute: false);
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool IsSafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == "tg");

    /// <summary>Ranges of at most <paramref name="max"/> chars: cut after the last line break, else the last space, else hard (not inside a surrogate pair).</summary>
    internal static IEnumerable<(int Start, int End)> SplitPoints(string plain, int max)
    {
        var pos = 0;
        while (plain.Length - pos > max)
        {
            var window = plain.AsSpan(pos, max);
            var cut = window.LastIndexOf('\n');
            if (cut <= 0)
            {
                cut = window.LastIndexOfAny(' ', '\t');
            }

            int end;
            if (cut > 0)
            {
                end = pos + cut + 1;
            }
            else
            {
                end = pos + max;
                if (char.IsHighSurrogate(plain[end - 1]))
                {
                    end--;
                }
            }

            yield return (pos, end);
            pos = end;
        }

        if (pos < plain.Length)
        {
            yield return (pos, plain.Length);
        }
    }
}
