using System.Text.Json;
using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using SpeakUp.Core.Submissions;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>
/// Sessions as hashes: <c>v</c> is the version (the compare-and-set token), <c>d</c> the JSON from <see cref="SessionJson"/>.
/// A load is one HMGET, or one Lua script when it also counts the message in the chat's flood window; a save is one Lua
/// script that checks the version, writes, and sets or clears the expiry.
/// </summary>
internal sealed class RedisSessionStore(IConnectionMultiplexer redis, RedisKeys keys) : ISessionStore
{
    private static readonly RedisValue[] Fields = ["v", "d"];

    private static readonly long WindowMilliseconds = (long)FloodHit.Window.TotalMilliseconds;

    public async Task<Session?> LoadAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        var values = await RedisFailures.GuardAsync(redis.GetDatabase().HashGetAsync(keys.Session(chat), Fields), cancellationToken);
        return Read(chat, values[0], values[1]);
    }

    public async Task<SessionLoad> LoadCountingAsync(ChatKey chat, FloodHit hit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hit);
        var (times, notice) = keys.Flood(chat);

        // The script recognises a redelivery by the delivery id as the session JSON spells it: the same encoder, quotes included.
        var delivery = hit.DeliveryId is null ? RedisValue.EmptyString : (RedisValue)("\"" + JsonEncodedText.Encode(hit.DeliveryId) + "\"");
        var result = (RedisResult[])(await RedisFailures.GuardAsync(
            redis.GetDatabase().ScriptEvaluateAsync(
                RedisScripts.LoadSessionAndCount,
                [keys.Session(chat), times, notice],
                [delivery, hit.Now.ToUnixTimeMilliseconds(), WindowMilliseconds, hit.Limit, hit.Member]),
            cancellationToken))!;
        var count = (long)result[2];
        return new SessionLoad(Read(chat, (RedisValue)result[0], (RedisValue)result[1]), count < 0 ? null : new FloodCheck(count, (long)result[3] == 1));
    }

    private static Session? Read(ChatKey chat, RedisValue version, RedisValue json)
    {
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
