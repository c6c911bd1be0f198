using System.Text.Json;
using System.Text.Json.Serialization;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Broadcasts;

/// <summary>What a broadcast carries: an admin's message, or one of the daily messages rendered per supporter.</summary>
public enum BroadcastKind
{
    /// <summary>The same content for everyone (composed in Telegram or posted to the admin API).</summary>
    Message,

    /// <summary>The day's /today message, rendered per supporter (their language, their variant).</summary>
    DailyPrompt,

    /// <summary>The short "post now" reminder at the campaign's post time.</summary>
    PostNow,
}

public enum BroadcastMedia
{
    None,
    Photo,
    Video,
}

public enum BroadcastStatus
{
    Scheduled,
    Running,
    Completed,
    Cancelled,
}

/// <summary>A URL button under a broadcast.</summary>
public sealed record BroadcastButton(string Label, string Url);

/// <summary>
/// The content of a <see cref="BroadcastKind.Message"/> broadcast: text, or a photo or video (a Telegram file id or an
/// https URL) with the text as caption, and optional URL buttons (one per row).
/// </summary>
public sealed record BroadcastContent
{
    public string Text { get; init; } = "";

    [JsonConverter(typeof(JsonStringEnumConverter<BroadcastMedia>))]
    public BroadcastMedia Media { get; init; }

    public string? MediaFile { get; init; }

    public IReadOnlyList<BroadcastButton> Buttons { get; init; } = [];

    /// <summary>Telegram's limits: 4096 characters of text, 1024 of caption.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Text) && Media == BroadcastMedia.None)
        {
            return "text is required";
        }

        var max = Media == BroadcastMedia.None ? 4096 : 1024;
        if (Text.Length > max)
        {
            return $"text is longer than {max} characters";
        }

        if (Media != BroadcastMedia.None && string.IsNullOrWhiteSpace(MediaFile))
        {
            return "mediaFile is required with a photo or video";
        }

        if (Buttons.Count > 8)
        {
            return "at most 8 buttons";
        }

        foreach (var b in Buttons)
        {
            if (string.IsNullOrWhiteSpace(b.Label) || b.Label.Length > 64)
            {
                return "a button label must have 1-64 characters";
            }

            if (!Uri.TryCreate(b.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                return $"button url '{b.Url}' is not an http(s) URL";
            }
        }

        return null;
    }
}

/// <summary>
/// Who receives a broadcast: opted-in supporters, narrowed by states, languages, campaigns joined and join date. Within a
/// list any one matches (RJ or UP); the filters together must all match. Empty lists = no filter.
/// </summary>
public sealed record BroadcastAudience
{
    public IReadOnlyList<string> States { get; init; } = [];

    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>Campaign ids: supporters who joined any of them (through its c_&lt;id&gt; link, or on one of its days).</summary>
    public IReadOnlyList<string> Campaigns { get; init; } = [];

    public DateTimeOffset? JoinedSince { get; init; }

    /// <summary>Test sends go to exactly these chats, whatever their indexes say.</summary>
    public IReadOnlyList<string> Chats { get; init; } = [];
}

/// <summary>Everything needed to run a broadcast; stored with the job.</summary>
public sealed record BroadcastDefinition
{
    [JsonConverter(typeof(JsonStringEnumConverter<BroadcastKind>))]
    public BroadcastKind Kind { get; init; }

    public BroadcastContent Content { get; init; } = new();

    public BroadcastAudience Audience { get; init; } = new();

    /// <summary>For daily messages: the language they are rendered in, and the day (yyyy-MM-dd).</summary>
    public string? Language { get; init; }

    public string? Day { get; init; }

    /// <summary>"tg:123" of the staff member, or "api".</summary>
    public string CreatedBy { get; init; } = "api";

    /// <summary>The admin's chat and message edited with live progress, if any.</summary>
    public string? ProgressChat { get; init; }

    public string? ProgressMessageId { get; init; }

    public string? ProgressLanguage { get; init; }
}

/// <summary>A job's status and counts, as the API and /broadcasts show them.</summary>
public sealed record BroadcastJobInfo
{
    public required string Id { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<BroadcastStatus>))]
    public BroadcastStatus Status { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<BroadcastKind>))]
    public BroadcastKind Kind { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ScheduledAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public long Total { get; init; }

    public long Sent { get; init; }

    public long Failed { get; init; }

    public long Unreachable { get; init; }

    /// <summary>In flight when an instance died: maybe delivered, never resent.</summary>
    public long Unknown { get; init; }

    public long Remaining { get; init; }

    public long InFlight { get; init; }

    public string CreatedBy { get; init; } = "";

    [JsonIgnore]
    public BroadcastDefinition? Definition { get; init; }

    public bool IsFinished => Status is BroadcastStatus.Completed or BroadcastStatus.Cancelled;
}

/// <summary>What the engine does with one claimed recipient after trying to send.</summary>
public enum RecipientOutcome
{
    Sent,
    Failed,
    Unreachable,

    /// <summary>A timeout or 5xx: due again after a backoff, counting an attempt (it may have been delivered).</summary>
    Retry,

    /// <summary>Nothing was sent (a 429, a pause, a slot given up, the host stopping): due again, no attempt counted.</summary>
    PutBack,
}

/// <summary>
/// The answer of a claim: recipients with their send slots, or how long to wait, or that the job has nothing left.
/// <see cref="Shared"/>: another instance holds slots of the rate within a second of these.
/// </summary>
public readonly record struct ClaimResult(ClaimKind Kind, IReadOnlyList<ClaimedRecipient>? Recipients = null, TimeSpan Wait = default, string Token = "", bool Shared = false);

/// <summary>One claimed recipient: send at <see cref="Slot"/> from the moment the claim was answered.</summary>
public readonly record struct ClaimedRecipient(ChatKey Chat, TimeSpan Slot, int Attempt);

public enum ClaimKind
{
    /// <summary>Recipients, each with a slot of the shared rate: send each at its slot.</summary>
    Claimed,

    /// <summary>The global rate, a shared 429 pause, or a per-chat gap: try again after <see cref="ClaimResult.Wait"/>.</summary>
    Wait,

    /// <summary>Nothing pending right now (others still in flight, or retries not due yet).</summary>
    Idle,

    /// <summary>The job is finished or cancelled.</summary>
    Done,
}

[JsonSerializable(typeof(BroadcastDefinition))]
[JsonSerializable(typeof(BroadcastJobInfo))]
[JsonSerializable(typeof(IReadOnlyList<BroadcastJobInfo>))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class BroadcastJson : JsonSerializerContext;
