using SpeakUp.Core.Messaging;

namespace SpeakUp.Core.Sessions;

/// <summary>Durable sessions with optimistic concurrency.</summary>
public interface ISessionStore
{
    /// <summary>Loads a session with its <see cref="Session.Version"/> set, or null when there is none.</summary>
    Task<Session?> LoadAsync(ChatKey chat, CancellationToken cancellationToken);

    /// <summary>
    /// Saves when the stored version still equals <see cref="Session.Version"/> (0 = must not exist yet).
    /// On success the session's version is advanced and true is returned; on a conflict nothing is written and false is returned.
    /// <paramref name="timeToLive"/> null means the session never expires.
    /// </summary>
    Task<bool> TrySaveAsync(Session session, TimeSpan? timeToLive, CancellationToken cancellationToken);

    /// <summary>Deletes everything stored for the chat (the session and any per-chat keys).</summary>
    Task DeleteAsync(ChatKey chat, CancellationToken cancellationToken);
}

/// <summary>Indexes over supporters, kept in step with sessions: counts and audiences without scanning every session.</summary>
public interface ISupporterDirectory
{
    /// <summary>Moves a supporter from one indexed view to another. Either side may be null (new, or forgotten).</summary>
    Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, CancellationToken cancellationToken);

    Task<SupporterCounts> CountAsync(CancellationToken cancellationToken);
}

public sealed record SupporterCounts(long Joined, long ReceivingPrompts, long Unreachable);
