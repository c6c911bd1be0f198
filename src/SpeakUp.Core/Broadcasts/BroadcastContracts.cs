using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Broadcasts;

/// <summary>
/// Durable broadcast jobs shared by every host instance. Each recipient is claimed atomically (pending → in flight with
/// this instance's id and a lease) together with a send token of the global rate, so no two instances ever send one
/// recipient, and a recipient left in flight by a dead instance is recorded "unknown" after its lease instead of resent.
/// </summary>
public interface IBroadcastStore
{
    /// <summary>Stores a job. With <paramref name="id"/> given the call is idempotent (daily prompts): false when it exists.</summary>
    Task<bool> CreateAsync(string id, BroadcastDefinition definition, DateTimeOffset scheduledAt, CancellationToken cancellationToken);

    /// <summary>Takes the audience snapshot of a due job and makes it runnable; a no-op unless it is still scheduled.</summary>
    Task StartAsync(string id, CancellationToken cancellationToken);

    /// <summary>Ids of scheduled jobs that are due.</summary>
    Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Ids of running jobs.</summary>
    Task<IReadOnlyList<string>> ActiveAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One atomic step and one round trip: records <paramref name="previous"/> (the outcomes of the worker's last claim,
    /// of whichever job), then claims up to <paramref name="max"/> due recipients of job <paramref name="id"/>, each with
    /// its own slot of the global rate; or says how long to wait. Slots after the first are only handed out while they
    /// fall within <paramref name="horizon"/>. <paramref name="instance"/> names the claimant in the claim's token.
    /// </summary>
    Task<ClaimResult> ClaimAsync(string id, string instance, int max, TimeSpan horizon, RecipientResults? previous, CancellationToken cancellationToken);

    /// <summary>
    /// Records outcomes without claiming (a worker stopping, or whose job is no longer running). An outcome counts only
    /// for the claim that holds the recipient (its token), so recording the same results twice is harmless; a final
    /// outcome also corrects an "unknown" written after a lease ran out.
    /// </summary>
    Task RecordAsync(RecipientResults results, CancellationToken cancellationToken);

    /// <summary>A 429: every instance pauses sending for <paramref name="pause"/>.</summary>
    Task PauseAllAsync(TimeSpan pause, CancellationToken cancellationToken);

    /// <summary>An interactive message (a reply) was sent to <paramref name="chat"/>: it uses the shared rate, ahead of broadcasts.</summary>
    Task DebitInteractiveAsync(ChatKey chat, CancellationToken cancellationToken);

    Task<BroadcastJobInfo?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<BroadcastJobInfo>> ListAsync(int count, CancellationToken cancellationToken);

    /// <summary>Stops a job: nothing more is claimed. False when it was already finished or unknown.</summary>
    Task<bool> CancelAsync(string id, CancellationToken cancellationToken);

    /// <summary>Counts who an audience would reach now (for previews).</summary>
    Task<long> CountAudienceAsync(BroadcastAudience audience, CancellationToken cancellationToken);

    /// <summary>Outcome per recipient ("sent", "failed", "unreachable", "unknown") — for tests and audits.</summary>
    Task<IReadOnlyDictionary<string, string>> OutcomesAsync(string id, CancellationToken cancellationToken);

    /// <summary>True exactly once per job and key: lets one instance (of many) send a final report or a progress edit.</summary>
    Task<bool> TryTakeTurnAsync(string id, string what, TimeSpan hold, CancellationToken cancellationToken);
}

/// <summary>The outcomes of one claim (<see cref="ClaimResult.Token"/>) of job <paramref name="JobId"/>, reported together.</summary>
public sealed record RecipientResults(string JobId, string Token, IReadOnlyList<RecipientResult> Results);

/// <summary>What happened to one claimed recipient; <paramref name="Delay"/> is when a retry or put-back is due again.</summary>
public readonly record struct RecipientResult(ChatKey Recipient, RecipientOutcome Outcome, TimeSpan Delay = default);

/// <summary>One rendered broadcast message for one chat.</summary>
public sealed record BroadcastMessage(MessageText Text, BroadcastMedia Media = BroadcastMedia.None, string? MediaFile = null)
{
    public IReadOnlyList<IReadOnlyList<Button>> Buttons { get; init; } = [];
}

public enum DeliveryOutcome
{
    Sent,

    /// <summary>Blocked, deactivated, chat not found.</summary>
    Unreachable,

    /// <summary>429: nothing was sent; <see cref="BroadcastDelivery.RetryAfter"/> says how long everyone must pause.</summary>
    RateLimited,

    /// <summary>Timeout, network, 5xx: may be retried.</summary>
    Transient,

    /// <summary>A permanent error for this message (bad request).</summary>
    Failed,
}

public readonly record struct BroadcastDelivery(DeliveryOutcome Outcome, TimeSpan RetryAfter = default, string? Error = null);

/// <summary>
/// A channel's send path for broadcast traffic. Unlike <see cref="IChannelSender"/> it never waits on a 429 and never
/// retries by itself: it reports what happened, and the engine decides (pause everyone, retry later, mark unreachable).
/// </summary>
public interface IBroadcastChannel
{
    string Channel { get; }

    Task<BroadcastDelivery> SendAsync(ChatKey chat, BroadcastMessage message, CancellationToken cancellationToken);
}
