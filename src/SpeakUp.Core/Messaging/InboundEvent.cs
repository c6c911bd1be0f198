namespace SpeakUp.Core.Messaging;

/// <summary>What a person did, as every channel reports it. Channels map their own updates to this.</summary>
public enum InboundKind
{
    /// <summary>A bot command such as /start; <see cref="InboundEvent.Command"/> and <see cref="InboundEvent.Argument"/> are set.</summary>
    Command,

    /// <summary>Free text typed by the person.</summary>
    Text,

    /// <summary>A press on one of the bot's buttons; <see cref="InboundEvent.ButtonData"/> is set. Never trusted: it is parsed and checked.</summary>
    Button,

    /// <summary>A photo, video, voice note, document, sticker…; <see cref="InboundEvent.Media"/> is set.</summary>
    Media,

    /// <summary>The person blocked the bot or deleted their account: we cannot reach them until they write again.</summary>
    Blocked,
}

/// <summary>One inbound event for one chat. Produced by a channel adapter, consumed by the conversation engine.</summary>
public sealed record InboundEvent
{
    public required ChatKey Chat { get; init; }

    public required InboundKind Kind { get; init; }

    /// <summary>The channel's id for this delivery (Telegram update_id). Used to handle a redelivered update once. Null: no de-duplication.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>The person's id on the channel (Telegram user id). Used for authorization, never taken from button data.</summary>
    public string? UserId { get; init; }

    public string? FirstName { get; init; }

    /// <summary>The language the person's client reports (IETF tag such as "hi" or "en-US"), if any.</summary>
    public string? ClientLanguage { get; init; }

    /// <summary>Lower-case command name without the slash or @botname, for <see cref="InboundKind.Command"/>.</summary>
    public string? Command { get; init; }

    /// <summary>Everything after the command, trimmed; null when there was nothing.</summary>
    public string? Argument { get; init; }

    public string? Text { get; init; }

    public string? ButtonData { get; init; }

    public MediaInfo? Media { get; init; }

    /// <summary>The channel's id of the message a pressed button belonged to, so a reply can replace that message.</summary>
    public string? SourceMessageId { get; init; }

    /// <summary>The channel's id of the person's own message (for copying it later, e.g. a submission to the campaign channel).</summary>
    public string? MessageId { get; init; }

    public DateTimeOffset? SentAt { get; init; }

    /// <summary>The user id of the original sender when this message was forwarded (and their privacy settings show it).</summary>
    public string? ForwardedFromUserId { get; init; }
}

public enum MediaKind
{
    Photo,
    Video,
    VideoNote,
    Voice,
    Audio,
    Document,
    Animation,
    Sticker,
    Location,
    Contact,
    Poll,
    Other,
}

/// <summary>Describes media a person sent. Files stay on the channel; we keep its ids only.</summary>
public sealed record MediaInfo(
    MediaKind Kind,
    string? FileId = null,
    string? FileUniqueId = null,
    int? DurationSeconds = null,
    long? FileSize = null,
    string? Caption = null,
    string? MediaGroupId = null,
    string? MimeType = null);
