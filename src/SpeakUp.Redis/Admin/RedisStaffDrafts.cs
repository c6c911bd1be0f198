using SpeakUp.Core.Admin;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>Staff drafts as expiring strings; taking one is a GET and DEL in one script, so only one message consumes it.</summary>
internal sealed class RedisStaffDrafts(IConnectionMultiplexer redis, RedisKeys keys) : IStaffDrafts
{
    private const string TakeScript = """
        local value = redis.call('GET', KEYS[1])
        if value then redis.call('DEL', KEYS[1]) end
        return value
        """;

    private readonly AdminKeys _keys = new(keys);

    public Task SaveAsync(string userId, string kind, string draft, TimeSpan timeToLive, CancellationToken cancellationToken) =>
        RedisFailures.GuardAsync(redis.GetDatabase().StringSetAsync(_keys.Draft(kind + ":" + userId), draft, timeToLive), cancellationToken);

    public async Task<string?> TakeAsync(string userId, string kind, CancellationToken cancellationToken)
    {
        var value = await RedisFailures.GuardAsync(redis.GetDatabase().ScriptEvaluateAsync(TakeScript, [_keys.Draft(kind + ":" + userId)]), cancellationToken);
        return value.IsNull ? null : (string?)value;
    }
}
