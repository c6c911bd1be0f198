namespace SpeakUp.Core.Messaging;

/// <summary>One inbound update exactly as its channel delivered it: the channel's own id and the raw JSON.</summary>
public sealed record InboxUpdate(long Id, string Json);

/// <summary>
/// A durable inbox for a channel that must confirm updates before they are handled (Telegram's getUpdates confirms a
/// batch by asking for the next one). An update is put here before it is confirmed and marked done after it was
/// handled, so whatever a stopped or killed host had in hand is still here at the next start and is handled again.
/// <para>
/// <c>source</c> names one stream of updates (a channel and, where ids are per account, the account: <c>tg:123456</c>);
/// update ids are only unique within it. Entries hold personal data until they are marked done, so they are kept
/// only for as long as they are in hand.
/// </para>
/// </summary>
public interface IUpdateInbox
{
    /// <summary>
    /// Stores a batch (an update already there is overwritten) and, in the same round trip, removes the handled updates
    /// <paramref name="done"/>: while updates keep coming, removals ride on the puts and cost no round trip of their own.
    /// Throws when storage is unreachable.
    /// </summary>
    Task PutAsync(string source, IReadOnlyCollection<InboxUpdate> updates, IReadOnlyCollection<long> done, CancellationToken cancellationToken);

    /// <summary>Removes handled updates, a group in one round trip. Ids that are not (or no longer) there are ignored.</summary>
    Task DoneAsync(string source, IReadOnlyCollection<long> ids, CancellationToken cancellationToken);

    /// <summary>Every update put and not yet done, in id order (oldest first).</summary>
    Task<IReadOnlyList<InboxUpdate>> PendingAsync(string source, CancellationToken cancellationToken);
}
