using System.Text;

namespace SpeakUp.Core.Messaging;

public enum SpanStyle
{
    Plain,
    Bold,
    Italic,
    Link,
}

/// <summary>A run of text with one style. <see cref="Url"/> is set for <see cref="SpanStyle.Link"/>.</summary>
public readonly record struct TextSpan(string Text, SpanStyle Style = SpanStyle.Plain, string? Url = null);

/// <summary>
/// Channel-neutral formatted text. The core never writes markup: it builds spans, and each channel renders them
/// with its own escaping (Telegram HTML, the web page), so text a supporter typed can never become markup.
/// </summary>
public sealed class MessageText : IEquatable<MessageText>
{
    public static readonly MessageText Empty = new([]);

    public MessageText(IReadOnlyList<TextSpan> spans) => Spans = spans;

    public IReadOnlyList<TextSpan> Spans { get; }

    public static MessageText Plain(string text) => new([new TextSpan(text)]);

    public int Length
    {
        get
        {
            var n = 0;
            foreach (var s in Spans)
            {
                n += s.Text.Length;
            }

            return n;
        }
    }

    public string ToPlainText()
    {
        var sb = new StringBuilder();
        foreach (var s in Spans)
        {
            sb.Append(s.Text);
        }

        return sb.ToString();
    }

    public override string ToString() => ToPlainText();

    public bool Equals(MessageText? other) => other is not null && Spans.SequenceEqual(other.Spans);

    public override bool Equals(object? obj) => Equals(obj as MessageText);

    public override int GetHashCode() => ToPlainText().GetHashCode(StringComparison.Ordinal);

    /// <summary>Builds a message from parts: localized blocks, user values, blank lines.</summary>
    public sealed class Builder
    {
        private readonly List<TextSpan> _spans = [];

        public Builder Append(MessageText text)
        {
            ArgumentNullException.ThrowIfNull(text);
            _spans.AddRange(text.Spans);
            return this;
        }

        public Builder Append(string text, SpanStyle style = SpanStyle.Plain)
        {
            if (text.Length > 0)
            {
                _spans.Add(new TextSpan(text, style));
            }

            return this;
        }

        public Builder Link(string text, Uri url)
        {
            ArgumentNullException.ThrowIfNull(url);
            _spans.Add(new TextSpan(text, SpanStyle.Link, url.AbsoluteUri));
            return this;
        }

        public Builder Line() => Append("\n");

        public Builder Paragraph()
        {
            if (_spans.Count > 0)
            {
                Append("\n\n");
            }

            return this;
        }

        public int Count => _spans.Count;

        public MessageText Build() => new(Merge(_spans));

        private static List<TextSpan> Merge(List<TextSpan> spans)
        {
            var merged = new List<TextSpan>(spans.Count);
            foreach (var s in spans)
            {
                if (merged.Count > 0 && merged[^1].Style == s.Style && s.Style != SpanStyle.Link)
                {
                    merged[^1] = merged[^1] with { Text = merged[^1].Text + s.Text };
                }
                else
                {
                    merged.Add(s);
                }
            }

            return merged;
        }
    }
}
