using System.Globalization;
using System.Security.Cryptography;
using SpeakUp.Core.Admin;
using SpeakUp.Core.Campaigns;
using SpeakUp.Core.Messaging;
using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// Referral codes and credits under the <c>{referrals}</c> hash tag. A code is 8 random characters of A-Za-z0-9, kept per
/// chat; a join is credited by one script that adds the joiner to a "credited" set first, so a join counts once even if
/// the index update is retried or the person forgets and rejoins.
/// </summary>
internal sealed class RedisReferrals(IConnectionMultiplexer redis, RedisKeys keys, TodayClock clock) : IReferralStore
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    // KEYS: codes, of; ARGV: member, new code. Returns the member's code (existing or the new one), or false on a collision.
    private const string CodeScript = """
        local existing = redis.call('HGET', KEYS[2], ARGV[1])
        if existing then return existing end
        if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[1]) == 0 then return false end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        return ARGV[2]
        """;

    // KEYS: codes, credited, total, week; ARGV: joiner, code. Returns 1 when credited now.
    private const string CreditScript = """
        local referrer = redis.call('HGET', KEYS[1], ARGV[2])
        if not referrer or referrer == ARGV[1] then return 0 end
        if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
        redis.call('ZINCRBY', KEYS[3], 1, referrer)
        redis.call('ZINCRBY', KEYS[4], 1, referrer)
        redis.call('PEXPIRE', KEYS[4], 5184000000)
        return 1
        """;

    // KEYS: codes, of, names, total, week; ARGV: member. Forgets the member's code, name and leaderboard places.
    private const string ForgetScript = """
        local code = redis.call('HGET', KEYS[2], ARGV[1])
        if code then redis.call('HDEL', KEYS[1], code) end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('ZREM', KEYS[4], ARGV[1])
        redis.call('ZREM', KEYS[5], ARGV[1])
        return 1
        """;

    private readonly AdminKeys _keys = new(keys);

    /// <summary>
    /// /forgetme: the person's code stops working and they leave the leaderboard. Whether they were credited to someone
    /// stays (as their chat id in the credited set), so forgetting and rejoining cannot credit a join twice.
    /// </summary>
    public Task ForgetAsync(ChatKey chat, CancellationToken cancellationToken) =>
        RedisFailures.GuardAsync(
            redis.GetDatabase().ScriptEvaluateAsync(
                ForgetScript,
                [_keys.ReferralCodes, _keys.ReferralCodeOf, _keys.ReferralNames, _keys.ReferralTotal, _keys.ReferralWeek(WeekOf(clock.Today))],
                [RedisKeys.Member(chat)]),
            cancellationToken);

    public async Task<string> GetOrCreateCodeAsync(ChatKey chat, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var code = RandomNumberGenerator.GetString(Alphabet, 8);
            var result = await RedisFailures.GuardAsync(
                redis.GetDatabase().ScriptEvaluateAsync(CodeScript, [_keys.ReferralCodes, _keys.ReferralCodeOf], [RedisKeys.Member(chat), code]),
                cancellationToken);
            if (!result.IsNull)
            {
                return (string)result!;
            }
        }

        throw new InvalidOperationException("Could not find a free referral code.");
    }

    /// <summary>Credits the owner of <paramref name="code"/> with <paramref name="joiner"/>'s join, once. True when credited now.</summary>
    public async Task<bool> CreditAsync(ChatKey joiner, string code, CancellationToken cancellationToken)
    {
        var result = await RedisFailures.GuardAsync(
            redis.GetDatabase().ScriptEvaluateAsync(
                CreditScript,
                [_keys.ReferralCodes, _keys.ReferralCredited, _keys.ReferralTotal, _keys.ReferralWeek(WeekOf(clock.Today))],
                [RedisKeys.Member(joiner), code]),
            cancellationToken);
        return (long)result == 1;
    }

    public async Task<IReadOnlyList<Recruiter>> TopAsync(bool thisWeek, int count, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var key = thisWeek ? _keys.ReferralWeek(WeekOf(clock.Today)) : _keys.ReferralTotal;
        var top = await RedisFailures.GuardAsync(db.SortedSetRangeByRankWithScoresAsync(key, 0, count - 1, Order.Descending), cancellationToken);
        if (top.Length == 0)
        {
            return [];
        }

        var names = await RedisFailures.GuardAsync(db.HashGetAsync(_keys.ReferralNames, [.. top.Select(t => t.Element)]), cancellationToken);
        return [.. top.Select((t, i) => new Recruiter((string)t.Element!, names[i].IsNull ? null : (string?)names[i], (long)t.Score))];
    }

    public Task SetShownNameAsync(ChatKey chat, string? firstName, CancellationToken cancellationToken) =>
        RedisFailures.GuardAsync(
            string.IsNullOrWhiteSpace(firstName)
                ? redis.GetDatabase().HashDeleteAsync(_keys.ReferralNames, RedisKeys.Member(chat))
                : redis.GetDatabase().HashSetAsync(_keys.ReferralNames, RedisKeys.Member(chat), firstName.Trim()),
            cancellationToken);

    /// <summary>ISO week, e.g. 2026-W48.</summary>
    internal static string WeekOf(DateOnly day) =>
        string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(day.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)):00}");
}
