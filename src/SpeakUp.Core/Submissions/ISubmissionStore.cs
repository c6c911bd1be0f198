using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Submissions;

/// <summary>The result of adding a submission to the queue.</summary>
/// <param name="Added">False when the same submission (or a file of it) was already stored: nothing changed.</param>
/// <param name="QueueLength">Items waiting or being reviewed after the add.</param>
/// <param name="NotifyModerators">True exactly once each time the queue reaches the notice threshold.</param>
public readonly record struct AddOutcome(bool Added, long QueueLength, bool NotifyModerators);

public enum DecisionOutcome
{
    /// <summary>This call decided the item.</summary>
    Decided,

    /// <summary>The item was decided before (a double tap, a retried callback): nothing changed.</summary>
    AlreadyDecided,

    /// <summary>Another moderator holds the item's claim.</summary>
    ClaimedByOther,

    NotFound,
}

/// <summary>
/// The review queue. Claims carry a lease so two moderators never see the same item at once, and a decision is a
/// check-and-set on the item's status, so it happens once whatever the number of taps or retries.
/// </summary>
public interface ISubmissionStore
{
    Task<AddOutcome> AddAsync(Submission submission, int notifyAt, CancellationToken cancellationToken);

    /// <summary>
    /// The item this moderator already holds, else the oldest unclaimed one (of <paramref name="states"/> only, for a state
    /// coordinator; null = any state), claimed until now + lease; null when there is nothing to review.
    /// </summary>
    Task<Submission?> ClaimNextAsync(string moderatorId, DateTimeOffset now, TimeSpan lease, IReadOnlyCollection<string>? states, CancellationToken cancellationToken);

    Task<Submission?> GetAsync(string id, CancellationToken cancellationToken);

    Task<DecisionOutcome> DecideAsync(string id, string moderatorId, SubmissionStatus decision, string? reason, DateTimeOffset now, int notifyAt, CancellationToken cancellationToken);

    /// <summary>Gives a claimed item back to the end of the queue (Skip). False when this moderator did not hold it.</summary>
    Task<bool> ReleaseAsync(string id, string moderatorId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the right to publish an approved, not yet published item for <paramref name="lease"/>. Only the holder
    /// publishes, so a double tap never posts twice; if the host dies mid-way, a later approve tap takes it again.
    /// </summary>
    Task<bool> TryStartPublishingAsync(string id, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records the channel post of an approved item. False when it was already published (the publish is not repeated).</summary>
    Task<bool> MarkPublishedAsync(string id, string? postUrl, CancellationToken cancellationToken);

    Task<long> QueueLengthAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every submission of <paramref name="author"/>, whatever its status, from the queue, the claims and the
    /// records, in one step (/forgetme). The decision counters keep counting them; a channel post stays where it is.
    /// A moderator holding one of the items is told it is gone on their next tap. Returns how many were deleted; a repeat
    /// deletes nothing more.
    /// </summary>
    Task<long> ForgetAuthorAsync(ChatKey author, int notifyAt, CancellationToken cancellationToken);

    /// <summary>How many submissions were ever approved and rejected: counters, so they survive the records' deletion.</summary>
    Task<SubmissionCounts> CountsAsync(CancellationToken cancellationToken);
}

/// <summary>Decisions ever taken, counted as they happen.</summary>
public readonly record struct SubmissionCounts(long Approved, long Rejected);

/// <summary>What the flood gate said about one inbound message.</summary>
/// <param name="Count">Messages from the chat in the last minute, this one included.</param>
/// <param name="Notify">True for the first message over the limit in a burst: the one that gets "please slow down".</param>
public readonly record struct FloodCheck(long Count, bool Notify);

/// <summary>Counts inbound messages per chat over a sliding minute, for the flood limit.</summary>
public interface IFloodGate
{
    Task<FloodCheck> HitAsync(ChatKey chat, DateTimeOffset now, int limit, CancellationToken cancellationToken);
}

/// <summary>The result of publishing one submission to the campaign channel.</summary>
public sealed record PublishResult(bool Published, Uri? Link = null, string? Error = null);

/// <summary>Publishes approved submissions to the campaign channel and shows items to reviewers. Implemented by a channel (Telegram).</summary>
public interface IChannelPublisher
{
    /// <summary>Copies the submission to the channel with <paramref name="caption"/> (hashtag and credit). Never throws for delivery problems.</summary>
    Task<PublishResult> PublishAsync(Submission submission, string caption, CancellationToken cancellationToken);

    /// <summary>Shows the submission's media to a reviewer (copies it into their chat). False when it could not be shown.</summary>
    Task<bool> ShowAsync(Submission submission, ChatKey reviewer, CancellationToken cancellationToken);
}

/// <summary>Used when no channel can publish (Telegram off): approvals are recorded, nothing is posted.</summary>
internal sealed class NoChannelPublisher : IChannelPublisher
{
    public Task<PublishResult> PublishAsync(Submission submission, string caption, CancellationToken cancellationToken) =>
        Task.FromResult(new PublishResult(false, Error: "no channel can publish (Telegram is off)"));

    public Task<bool> ShowAsync(Submission submission, ChatKey reviewer, CancellationToken cancellationToken) => Task.FromResult(false);
}
