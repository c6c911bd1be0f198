using System.Text.Json.Serialization;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Submissions;

/// <summary>One file of a submission. Files stay on the channel (Telegram file_id, or a web upload's path); we keep ids.</summary>
public sealed record SubmissionItem
{
    [JsonConverter(typeof(JsonStringEnumConverter<MediaKind>))]
    public MediaKind Kind { get; init; }

    public string? FileId { get; init; }

    public string? FileUniqueId { get; init; }

    /// <summary>The supporter's message that carried the file, for copyMessage.</summary>
    public string? MessageId { get; init; }

    public int? DurationSeconds { get; init; }

    public long? FileSize { get; init; }

    public string? MimeType { get; init; }

    /// <summary>What identifies the same file sent twice.</summary>
    [JsonIgnore]
    public string? Fingerprint => FileUniqueId ?? FileId;
}

/// <summary>What a supporter is putting together before they confirm: kept in their session.</summary>
public sealed class SubmissionDraft
{
    /// <summary>Chosen when the draft starts, so a retried confirmation stores the same submission once.</summary>
    public required string Id { get; set; }

    public required string CampaignId { get; set; }

    public required string Hashtag { get; set; }

    public List<SubmissionItem> Items { get; set; } = [];

    /// <summary>The caption, or the text of a text submission.</summary>
    public string? Text { get; set; }

    /// <summary>Telegram media_group_id of an album being collected.</summary>
    public string? MediaGroupId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum SubmissionStatus
{
    Pending,
    Approved,
    Rejected,
    Published,
}

/// <summary>A confirmed submission, as stored for review.</summary>
public sealed record Submission
{
    public required string Id { get; init; }

    /// <summary>The supporter's chat ("tg:123"), where notices go.</summary>
    public required string Chat { get; init; }

    public string? UserId { get; init; }

    /// <summary>The credit: the supporter's first name, or null for anonymous.</summary>
    public string? CreditName { get; init; }

    public string? FirstName { get; init; }

    public required string Language { get; init; }

    public string? StateCode { get; init; }

    public required string CampaignId { get; init; }

    public required string Hashtag { get; init; }

    public IReadOnlyList<SubmissionItem> Items { get; init; } = [];

    /// <summary>Caption (with the hashtag) or the text of a text submission.</summary>
    public string? Text { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<SubmissionStatus>))]
    public SubmissionStatus Status { get; init; }

    public string? DecidedBy { get; init; }

    public string? Reason { get; init; }

    public string? PostUrl { get; init; }

    [JsonIgnore]
    public ChatKey ChatKey => ChatKey.TryParse(Chat, out var key) ? key.Value : throw new InvalidOperationException($"Submission {Id} has a bad chat '{Chat}'.");

    [JsonIgnore]
    public bool IsText => Items.Count == 0;

    [JsonIgnore]
    public bool IsAlbum => Items.Count > 1;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Submission))]
internal sealed partial class SubmissionJsonContext : JsonSerializerContext;

/// <summary>The one place submissions become bytes and back.</summary>
public static class SubmissionJson
{
    public static byte[] Serialize(Submission submission) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(submission, SubmissionJsonContext.Default.Submission);

    public static Submission Deserialize(ReadOnlySpan<byte> json) =>
        System.Text.Json.JsonSerializer.Deserialize(json, SubmissionJsonContext.Default.Submission) ?? throw new System.Text.Json.JsonException("A stored submission was null.");
}
