using System.Collections.Concurrent;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;

namespace SpeakUp.Core.Tests.Support;

/// <summary>Sessions in memory with the store's compare-and-set, for unit tests of the conversation engine.</summary>
internal class MemorySessions : ISessionStore
{
    private readonly ConcurrentDictionary<ChatKey, (long Version, byte[] Json)> _data = new();

    public int Loads { get; private set; }

    public int Saves { get; private set; }

    public bool ConflictOnce { get; set; }

    /// <summary>How many saves still fail as if Redis were down.</summary>
    public int SaveOutagesLeft { get; set; }

    public Task<Session?> LoadAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        Loads++;
        if (!_data.TryGetValue(chat, out var stored))
        {
            return Task.FromResult<Session?>(null);
        }

        var session = SessionJson.Deserialize(stored.Json);
        session.Chat = chat;
        session.Version = stored.Version;
        return Task.FromResult<Session?>(session);
    }

    public Task<bool> TrySaveAsync(Session session, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        if (SaveOutagesLeft > 0)
        {
            SaveOutagesLeft--;
            throw new StorageUnavailableException("Redis is restarting.");
        }

        var current = _data.TryGetValue(session.Chat, out var stored) ? stored.Version : 0;
        if (ConflictOnce)
        {
            ConflictOnce = false;
            return Task.FromResult(false);
        }

        if (current != session.Version)
        {
            return Task.FromResult(false);
        }

        Saves++;
        session.Version = current + 1;
        _data[session.Chat] = (session.Version, SessionJson.Serialize(session));
        return Task.FromResult(true);
    }

    public Task DeleteAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        _data.TryRemove(chat, out _);
        return Task.CompletedTask;
    }
}

/// <summary>No supporter indexes: the engine's unit tests do not look at them.</summary>
internal sealed class NoDirectory : ISupporterDirectory
{
    public Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, string? moveId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task BeginMoveAsync(ChatKey chat, SupporterSnapshot? before, string moveId, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<SupporterCounts> CountAsync(CancellationToken cancellationToken) => Task.FromResult(new SupporterCounts(0, 0, 0));
}
