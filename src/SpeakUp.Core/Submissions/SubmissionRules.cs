using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Submissions;

/// <summary>Why a piece of content was refused; each has a localized reply "submit.refused.&lt;name&gt;".</summary>
public enum Refusal
{
    None,
    Type,
    TooLong,
    TooBig,
    CaptionTooLong,
    TextTooLong,
    Duplicate,
    DailyCap,
    NoCampaign,
}

/// <summary>The validation rules for submitted content, as a pure function of the options.</summary>
public static class SubmissionRules
{
    /// <summary>Photos, videos, round video notes, voice notes and audio; documents only when they are pictures or videos.</summary>
    public static bool IsAccepted(MediaInfo media)
    {
        ArgumentNullException.ThrowIfNull(media);
        return media.Kind switch
        {
            MediaKind.Photo or MediaKind.Video or MediaKind.VideoNote or MediaKind.Voice or MediaKind.Audio => media.FileId is not null,
            MediaKind.Document => media.FileId is not null && media.MimeType is { } mime
                && (mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase) || mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    public static Refusal Check(MediaInfo media, SubmissionOptions options)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(options);
        if (!IsAccepted(media))
        {
            return Refusal.Type;
        }

        if (media.Kind is MediaKind.Video or MediaKind.VideoNote && media.DurationSeconds > options.MaxVideoSeconds)
        {
            return Refusal.TooLong;
        }

        if (media.FileSize > options.MaxFileBytes)
        {
            return Refusal.TooBig;
        }

        return media.Caption is { Length: > SubmissionOptions.MaxCaptionLength } ? Refusal.CaptionTooLong : Refusal.None;
    }

    public static Refusal CheckText(string text) =>
        text.Length > SubmissionOptions.MaxTextLength ? Refusal.TextTooLong : Refusal.None;

    /// <summary>The caption or text with the campaign hashtag appended when it is missing (case-insensitive).</summary>
    public static string WithHashtag(string? text, string hashtag)
    {
        ArgumentException.ThrowIfNullOrEmpty(hashtag);
        var t = text?.Trim() ?? string.Empty;
        if (t.Contains(hashtag, StringComparison.OrdinalIgnoreCase))
        {
            return t;
        }

        return t.Length == 0 ? hashtag : t + "\n\n" + hashtag;
    }

    /// <summary>
    /// The channel caption: the supporter's caption (with the hashtag) and a credit line, within <paramref name="limit"/>
    /// characters — the supporter's part is shortened, never the hashtag or the credit.
    /// </summary>
    public static string ChannelCaption(string? text, string hashtag, string credit, int limit = SubmissionOptions.MaxCaptionLength)
    {
        ArgumentNullException.ThrowIfNull(credit);
        var body = WithHashtag(text, hashtag);
        var tail = "\n\n" + credit;
        if (body.Length + tail.Length <= limit)
        {
            return body + tail;
        }

        // Too long: keep the start of the supporter's text, then the hashtag and the credit.
        var keep = Math.Max(0, limit - tail.Length - hashtag.Length - 2);
        var start = (text ?? string.Empty).Trim();
        start = start.Length > keep ? start[..keep].TrimEnd() + "…" : start;
        return start + "\n" + hashtag + tail;
    }

    /// <summary>A short id for submissions: 12 characters of A-Z2-7, so it fits button data with room to spare.</summary>
    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var value = BitConverter.ToUInt64(bytes);
        Span<char> id = stackalloc char[12];
        for (var i = 0; i < id.Length; i++)
        {
            id[i] = alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(id);
    }
}
