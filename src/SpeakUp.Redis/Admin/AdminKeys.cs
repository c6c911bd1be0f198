using StackExchange.Redis;

namespace SpeakUp.Redis.Admin;

/// <summary>
/// Keys of the admin features, built in one place next to <see cref="RedisKeys"/>: the roster under <c>{roles}</c>,
/// referrals under <c>{referrals}</c>, so each script stays in one cluster slot.
/// </summary>
internal sealed class AdminKeys(RedisKeys keys)
{
    /// <summary>Hash: user id → staff member JSON.</summary>
    public RedisKey Staff => $"{keys.Prefix}{{roles}}:staff";

    /// <summary>Set of configured owner ids last written, so an id dropped from Bot:AdminIds loses the role.</summary>
    public RedisKey Owners => $"{keys.Prefix}{{roles}}:owners";

    /// <summary>Set of Bot:ModeratorIds already seeded once, so a removal in chat is not undone by the next start.</summary>
    public RedisKey Seeded => $"{keys.Prefix}{{roles}}:seeded";

    /// <summary>String: a staff command waiting for the user's next message (expires).</summary>
    public RedisKey Draft(string userId) => $"{keys.Prefix}{{roles}}:draft:{userId}";

    /// <summary>Pub/sub channel: the roster changed; every instance reloads its in-memory copy.</summary>
    public RedisChannel Changed => RedisChannel.Literal($"{keys.Prefix}{{roles}}:changed");

    /// <summary>Hash: referral code → member ("tg:123").</summary>
    public RedisKey ReferralCodes => $"{keys.Prefix}{{referrals}}:codes";

    /// <summary>Hash: member → their referral code.</summary>
    public RedisKey ReferralCodeOf => $"{keys.Prefix}{{referrals}}:of";

    /// <summary>Set of referred members already credited (a join is credited once, even after /forgetme and a rejoin).</summary>
    public RedisKey ReferralCredited => $"{keys.Prefix}{{referrals}}:credited";

    /// <summary>Sorted set: member → people they brought, all time.</summary>
    public RedisKey ReferralTotal => $"{keys.Prefix}{{referrals}}:total";

    /// <summary>Sorted set: member → people they brought in one ISO week (2026-W48).</summary>
    public RedisKey ReferralWeek(string week) => $"{keys.Prefix}{{referrals}}:week:{week}";

    /// <summary>Hash: member → first name, only for those who agreed to be named on the leaderboard.</summary>
    public RedisKey ReferralNames => $"{keys.Prefix}{{referrals}}:names";
}
