using System.Text;
using StackExchange.Redis;

namespace SpeakUp.Testing.Redis;

/// <summary>One key and everything stored in it, as text: how a test proves that nothing about a person is left.</summary>
public sealed record DumpedKey(string Key, string Type, string Contents)
{
    /// <summary>True when the key's name or anything stored in it contains <paramref name="value"/>.</summary>
    public bool Mentions(string value) =>
        Key.Contains(value, StringComparison.Ordinal) || Contents.Contains(value, StringComparison.Ordinal);

    public override string ToString() => $"{Key} ({Type}): {Contents}";
}

public static class RedisDump
{
    /// <summary>
    /// The dump once no key mentions <paramref name="chat"/> any more, or after <paramref name="within"/>. The reply that says
    /// "your data is deleted" takes its share of the bot's rate, which lists the chat in the shared one-second pacing
    /// window; that key expires two seconds after the last send, and this waits for it instead of pretending it is not there.
    /// </summary>
    public static async Task<IReadOnlyList<DumpedKey>> DumpOnceForgottenAsync(IConnectionMultiplexer redis, string keyPrefix, string chat, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var dumped = await DumpAsync(redis, keyPrefix);
            if (!dumped.Any(k => k.Mentions(chat)) || DateTime.UtcNow > deadline)
            {
                return dumped;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Every key under <paramref name="keyPrefix"/> (found with SCAN) with its whole content: string value, hash fields and
    /// values, set, sorted set and list members. For the small key spaces of a test.
    /// </summary>
    public static async Task<IReadOnlyList<DumpedKey>> DumpAsync(IConnectionMultiplexer redis, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var db = redis.GetDatabase();
        var dumped = new List<DumpedKey>();
        await foreach (var key in server.KeysAsync(db.Database, keyPrefix + "*", pageSize: 1000))
        {
            var type = await db.KeyTypeAsync(key);
            var contents = new StringBuilder();
            switch (type)
            {
                case RedisType.String:
                    contents.Append((string?)await db.StringGetAsync(key));
                    break;
                case RedisType.Hash:
                    foreach (var entry in await db.HashGetAllAsync(key))
                    {
                        contents.Append(entry.Name).Append('=').Append(entry.Value).Append('\n');
                    }

                    break;
                case RedisType.Set:
                    contents.AppendJoin('\n', await db.SetMembersAsync(key));
                    break;
                case RedisType.SortedSet:
                    contents.AppendJoin('\n', await db.SortedSetRangeByRankAsync(key));
                    break;
                case RedisType.List:
                    contents.AppendJoin('\n', await db.ListRangeAsync(key));
                    break;
                case RedisType.None:
                    // Expired or deleted since SCAN saw it.
                    continue;
                default:
                    contents.Append('?');
                    break;
            }

            dumped.Add(new DumpedKey(key!, type.ToString(), contents.ToString()));
        }

        return dumped;
    }
}
