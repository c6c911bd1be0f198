using SpeakUp.Core.Messaging;
using SpeakUp.Core.Submissions;

namespace SpeakUp.Core.Sessions;

/// <summary>Durable sessions with optimistic concurrency.</summary>
public interface ISessionStore
{
    /// <summary>Loads a session with its <see cref="Session.Version"/> set, or null when there is none.</summary>
    Task<Session?> LoadAsync(ChatKey chat, CancellationToken cancellationToken);

    /// <summary>
    /// Loads a session as <see cref="LoadAsync"/> does and, in the same round trip, counts <paramref name="hit"/> in the
    /// chat's flood window, unless the stored session has already handled the hit's delivery (a redelivery is not counted
    /// twice). A store that cannot do both at once keeps this default: the session alone, with no count
    /// (<see cref="SessionLoad.Flood"/> null), and the flood limit then asks its <see cref="IFloodGate"/>.
    /// </summary>
    async Task<SessionLoad> LoadCountingAsync(ChatKey chat, FloodHit hit, CancellationToken cancellationToken) =>
        new(await LoadAsync(chat, cancellationToken), null);

    /// <summary>
    /// Saves when the stored version still equals <see cref="Session.Version"/> (0 = must not exist yet).
    /// On success the session's version is advanced and true is returned; on a conflict nothing is written and false is returned.
    /// <paramref name="timeToLive"/> null means the session never expires.
    /// </summary>
    Task<bool> TrySaveAsync(Session session, TimeSpan? timeToLive, CancellationToken cancellationToken);

    /// <summary>Deletes everything stored for the chat (the session and any per-chat keys).</summary>
    Task DeleteAsync(ChatKey chat, CancellationToken cancellationToken);
}

/// <summary>One inbound message to count in its chat's flood window (<see cref="Window"/>, sliding).</summary>
/// <param name="DeliveryId">Its delivery id: a delivery the session has already handled is not counted again.</param>
/// <param name="Now">When it arrived.</param>
/// <param name="Limit">Messages allowed in the window; the first one over it is the one told to slow down.</param>
/// <param name="Member">Unique to the message, so a load retried after a lost answer counts it once.</param>
public sealed record FloodHit(string? DeliveryId, DateTimeOffset Now, int Limit, string Member)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
}

/// <summary>A session as loaded (null: none yet), and what the flood count said of the message it was loaded for.</summary>
/// <param name="Flood">Null when nothing was counted: no hit was asked for, the store cannot count, or a redelivery.</param>
public readonly record struct SessionLoad(Session? Session, FloodCheck? Flood);

/// <summary>Indexes over supporters, kept in step with sessions: counts and audiences without scanning every session.</summary>
public interface ISupporterDirectory
{
    /// <summary>Moves a supporter from one indexed view to another. Either side may be null (new, or forgotten).</summary>
    Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, CancellationToken cancellationToken) =>
        ApplyAsync(before, after, null, cancellationToken);

    /// <summary>
    /// Write-ahead for a move: recorded before the session save that causes it, so a process killed between that save and
    /// <see cref="ApplyAsync(SupporterSnapshot?, SupporterSnapshot?, string?, CancellationToken)"/> (or a store that stayed
    /// down past the engine's patience) leaves a record, and the indexes are later repaired from the session, the truth.
    /// Repeating it with the same <paramref name="moveId"/> overwrites the record.
    /// </summary>
    Task BeginMoveAsync(ChatKey chat, SupporterSnapshot? before, string moveId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The move; with a <paramref name="moveId"/> from <see cref="BeginMoveAsync"/>, its record is cleared in the same step.</summary>
    Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, string? moveId, CancellationToken cancellationToken);

    Task<SupporterCounts> CountAsync(CancellationToken cancellationToken);
}

public sealed record SupporterCounts(long Joined, long ReceivingPrompts, long Unreachable);
