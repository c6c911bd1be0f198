using System.ComponentModel.DataAnnotations;

namespace SpeakUp.Core.Submissions;

/// <summary>Limits of supporter submissions and of the review queue (section "Submissions").</summary>
public sealed class SubmissionOptions
{
    public const string Section = "Submissions";

    /// <summary>Telegram's limit on a caption; longer captions are refused with a clear reply.</summary>
    public const int MaxCaptionLength = 1024;

    /// <summary>Telegram's limit on a text message.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>Telegram albums hold 2–10 items.</summary>
    public const int MaxAlbumItems = 10;

    /// <summary>Longest video or video note accepted.</summary>
    [Range(1, 3600)]
    public int MaxVideoSeconds { get; set; } = 180;

    /// <summary>Largest file accepted: 20 MB is what the public Bot API lets a bot fetch; raise it with a local Bot API server.</summary>
    [Range(1, 2_000L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Submissions one supporter may send per day (the bot's time zone).</summary>
    [Range(1, 1000)]
    public int DailyCap { get; set; } = 10;

    /// <summary>Inbound messages per chat per minute before one "please slow down" notice and then silence.</summary>
    [Range(1, 10_000)]
    public int FloodPerMinute { get; set; } = 20;

    /// <summary>How long a moderator holds an item shown to them before it returns to the queue.</summary>
    [Range(1, 1440)]
    public int ClaimMinutes { get; set; } = 10;

    /// <summary>Queue length at which moderators get one notice (again only after it fell below and rose again).</summary>
    [Range(1, 1_000_000)]
    public int NotifyAt { get; set; } = 20;
}

/// <summary>Where approved submissions go (section "Publishing").</summary>
public sealed class PublishingOptions
{
    public const string Section = "Publishing";

    /// <summary>The campaign channel: a numeric id (-100…) or @username. Empty = approvals are recorded but not published.</summary>
    public string? ChannelId { get; set; }

    /// <summary>The channel's public username (without @), for t.me links; empty = private links t.me/c/&lt;id&gt;/&lt;post&gt;.</summary>
    public string? ChannelUsername { get; set; }
}
