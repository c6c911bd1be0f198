using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>
/// Sessions as hashes: <c>v</c> is the version (the compare-and-set token), <c>d</c> the JSON from <see cref="SessionJson"/>.
/// A load is one HMGET; a save is one Lua script that checks the version, writes, and sets or clears the expiry.
/// </summary>
internal sealed class RedisSessionStore(IConnectionMultiplexer redis, RedisKeys keys) : ISessionStore
{
    private static readonly RedisValue[] Fields = ["v", "d"];

    public async Task<Session?> LoadAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        var values = await RedisFailures.GuardAsync(redis.GetDatabase().HashGetAsync(keys.Session(chat), Fields), cancellationToken);
        var (version, json) = (values[0], values[1]);
        if (json.IsNull)
        {
            return null;
        }

        var session = SessionJson.Deserialize((byte[])json!);
        session.Chat = chat;
        session.Version = version.IsNull ? 0 : (long)version;
        return session;
    }

    public async Task<bool> TrySaveAsync(Session session, TimeSpan? timeToLive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (timeToLive is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), ttl, "A time to live must be positive; null means never expires.");
        }

        // Round up, so a sub-millisecond TTL still expires rather than meaning "forever".
        var ttlMilliseconds = timeToLive is { } t ? (long)Math.Ceiling(t.TotalMilliseconds) : 0;
        var result = await RedisFailures.GuardAsync(
            redis.GetDatabase().ScriptEvaluateAsync(
                RedisScripts.SaveSession,
                [keys.Session(session.Chat)],
                [session.Version, SessionJson.Serialize(session), ttlMilliseconds]),
            cancellationToken);

        var version = (long)result;
        if (version < 0)
        {
            return false;
        }

        session.Version = version;
        return true;
    }

    public Task DeleteAsync(ChatKey chat, CancellationToken cancellationToken) =>
        RedisFailures.GuardAsync(redis.GetDatabase().KeyDeleteAsync(keys.ChatKeys(chat)), cancellationToken);
}
