using System.Text.Json.Serialization;
using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Sessions;

/// <summary>The supporter workflow's states. Stored by name, so renaming one is a data migration.</summary>
public enum SupporterState
{
    ChoosingLanguage,
    AskingConsent,
    ChoosingState,
    Joined,
    OptedOut,
    ConfirmingStop,
    ConfirmingForget,

    /// <summary>Asked for a video, photo, voice note or text for today's hashtag.</summary>
    Submitting,

    /// <summary>Content received: asked to confirm it and choose a credit.</summary>
    ConfirmingSubmission,

    /// <summary>Superstate of the three joining steps; never current.</summary>
    Onboarding,

    /// <summary>Superstate of every state, where commands that work everywhere live; never current.</summary>
    Conversation,
}

/// <summary>
/// Everything we keep about one (channel, chat): where the person is in the workflow and what they told us.
/// A joined supporter's session is their supporter record. Stored as JSON; <see cref="Version"/> lives beside it in Redis
/// and is the compare-and-set token.
/// </summary>
public sealed class Session
{
    /// <summary>How many recent delivery ids are kept to recognise a redelivered update.</summary>
    public const int RecentDeliveryLimit = 32;

    [JsonIgnore]
    public ChatKey Chat { get; set; }

    /// <summary>Stored version; 0 for a session that has never been saved. Not part of the JSON.</summary>
    [JsonIgnore]
    public long Version { get; set; }

    public string? UserId { get; set; }

    public string? FirstName { get; set; }

    [JsonConverter(typeof(JsonStringEnumConverter<SupporterState>))]
    public SupporterState State { get; set; } = SupporterState.ChoosingLanguage;

    /// <summary>Where /cancel returns to from a confirmation.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<SupporterState>))]
    public SupporterState? ReturnState { get; set; }

    public string? Language { get; set; }

    /// <summary>True when the person agreed to daily campaign prompts.</summary>
    public bool OptedIn { get; set; }

    /// <summary>ISO 3166-2:IN subdivision code without the prefix (RJ, UP, DL…).</summary>
    public string? StateCode { get; set; }

    public int StatePage { get; set; }

    /// <summary>Campaign preselected by a c_&lt;id&gt; deep link.</summary>
    public string? CampaignId { get; set; }

    /// <summary>
    /// Campaigns the supporter joined, oldest first: the c_&lt;id&gt; link they joined through (or the campaign running the
    /// day they finished joining), then every campaign whose link they opened after that. Empty in sessions stored
    /// before it existed.
    /// </summary>
    public List<string> Campaigns { get; set; } = [];

    /// <summary>Referral code from an r_&lt;code&gt; deep link: who brought this supporter.</summary>
    public string? Referrer { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When onboarding finished. Null until then; joined sessions never expire.</summary>
    public DateTimeOffset? JoinedAt { get; set; }

    /// <summary>The person blocked the bot (or similar); cleared as soon as they write again.</summary>
    public bool Unreachable { get; set; }

    public List<string> RecentDeliveries { get; set; } = [];

    /// <summary>What the supporter is about to submit, until they confirm or cancel.</summary>
    public SpeakUp.Core.Submissions.SubmissionDraft? Draft { get; set; }

    /// <summary>A confirmed draft not yet stored in the review queue (written by the workflow, emptied by the store step).</summary>
    public SpeakUp.Core.Submissions.SubmissionDraft? ConfirmedDraft { get; set; }

    /// <summary>The credit chosen with the confirmation: true = anonymous.</summary>
    public bool ConfirmedAnonymously { get; set; }

    /// <summary>The day (bot time zone, yyyy-MM-dd) <see cref="SubmissionsToday"/> counts.</summary>
    public string? SubmissionDay { get; set; }

    public int SubmissionsToday { get; set; }

    /// <summary>Files already submitted (file_unique_id), newest last, so the same file sent twice is one submission.</summary>
    public List<string> SubmittedFiles { get; set; } = [];

    [JsonIgnore]
    public bool IsJoined => JoinedAt is not null;

    public static Session New(ChatKey chat, DateTimeOffset now) => new() { Chat = chat, CreatedAt = now, UpdatedAt = now };

    public bool HasSeen(string? deliveryId) => deliveryId is not null && RecentDeliveries.Contains(deliveryId);

    public void RememberDelivery(string? deliveryId)
    {
        if (deliveryId is null)
        {
            return;
        }

        RecentDeliveries.Add(deliveryId);
        if (RecentDeliveries.Count > RecentDeliveryLimit)
        {
            RecentDeliveries.RemoveRange(0, RecentDeliveries.Count - RecentDeliveryLimit);
        }
    }

    /// <summary>Records that a joined supporter joined a campaign (null: none); nothing before they finish joining.</summary>
    public void JoinCampaign(string? campaignId)
    {
        if (campaignId is null || !IsJoined)
        {
            return;
        }

        // Only a session joined before Campaigns existed has none yet: it keeps the campaign of the link it came through.
        if (Campaigns.Count == 0 && CampaignId is { } earlier && earlier != campaignId)
        {
            Campaigns.Add(earlier);
        }

        if (!Campaigns.Contains(campaignId, StringComparer.Ordinal))
        {
            Campaigns.Add(campaignId);
        }
    }

    /// <summary>The fields that indexes (counts, broadcast audiences) are built from.</summary>
    public SupporterSnapshot Snapshot() => new(Chat, IsJoined, OptedIn && !Unreachable && State != SupporterState.OptedOut, StateCode, Language, Unreachable, JoinedAt, Referrer, new CampaignIds(Campaigns));
}

/// <summary>The indexed view of a supporter. Indexes are updated only when this changes.</summary>
public sealed record SupporterSnapshot(
    ChatKey Chat,
    bool Joined,
    bool ReceivesPrompts,
    string? StateCode,
    string? Language,
    bool Unreachable,
    DateTimeOffset? JoinedAt,
    string? Referrer = null,
    CampaignIds? Campaigns = null)
{
    /// <summary>Campaigns joined (indexed per campaign); never null.</summary>
    public CampaignIds Campaigns { get; init; } = Campaigns ?? CampaignIds.None;
}
