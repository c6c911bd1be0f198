using SpeakUp.Core.Sessions;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>
/// Supporter indexes: joined (sorted by join time), receiving prompts, unreachable, per state, per language and per
/// campaign joined.
/// Only joined supporters are indexed: onboarding sessions expire, and an index entry has no expiry to follow them.
/// A move is one MULTI/EXEC of the differences; all index keys share the <c>{supporters}</c> hash tag.
/// </summary>
internal sealed class RedisSupporterDirectory(IConnectionMultiplexer redis, RedisKeys keys, Admin.RedisReferrals? referrals = null) : ISupporterDirectory
{
    public async Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, CancellationToken cancellationToken)
    {
        if (before is not null && after is not null && before.Chat != after.Chat)
        {
            throw new ArgumentException($"Before ({before.Chat}) and after ({after.Chat}) are different chats.", nameof(after));
        }

        var chat = (after ?? before)?.Chat;
        if (chat is null)
        {
            return;
        }

        var was = Entries(before);
        var isNow = Entries(after);
        var member = RedisKeys.Member(chat.Value);
        var transaction = redis.GetDatabase().CreateTransaction();
        var queued = new List<Task>();
        foreach (var (key, _) in was)
        {
            if (!isNow.ContainsKey(key))
            {
                queued.Add(key == keys.SupportersJoined ? transaction.SortedSetRemoveAsync(key, member) : transaction.SetRemoveAsync(key, member));
            }
        }

        foreach (var (key, score) in isNow)
        {
            if (was.TryGetValue(key, out var previous) && previous == score)
            {
                continue;
            }

            queued.Add(score is { } joinedAt ? transaction.SortedSetAddAsync(key, member, joinedAt) : transaction.SetAddAsync(key, member));
        }

        if (queued.Count > 0)
        {
            await RedisFailures.GuardAsync(transaction.ExecuteAsync(), cancellationToken);
            await Task.WhenAll(queued);
        }

        // A join through someone's r_<code> link credits them, once (the script remembers who was credited).
        if (referrals is not null && before is not { Joined: true } && after is { Joined: true, Referrer: { Length: > 0 } code })
        {
            await referrals.CreditAsync(after.Chat, code, cancellationToken);
        }
        else if (referrals is not null && before is { Joined: true } && after is null)
        {
            await referrals.ForgetAsync(before.Chat, cancellationToken);
        }
    }

    public async Task<SupporterCounts> CountAsync(CancellationToken cancellationToken)
    {
        // Three commands pipelined on one connection: one round trip.
        var db = redis.GetDatabase();
        var joined = db.SortedSetLengthAsync(keys.SupportersJoined);
        var prompts = db.SetLengthAsync(keys.SupportersReceivingPrompts);
        var unreachable = db.SetLengthAsync(keys.SupportersUnreachable);
        await RedisFailures.GuardAsync(Task.WhenAll(joined, prompts, unreachable), cancellationToken);
        return new SupporterCounts(await joined, await prompts, await unreachable);
    }

    /// <summary>The index keys a snapshot belongs to; the value is the sorted-set score (join time) or null for a plain set.</summary>
    private Dictionary<RedisKey, double?> Entries(SupporterSnapshot? snapshot)
    {
        var entries = new Dictionary<RedisKey, double?>();
        if (snapshot is not { Joined: true })
        {
            return entries;
        }

        entries[keys.SupportersJoined] = snapshot.JoinedAt?.ToUnixTimeMilliseconds() ?? 0;
        if (snapshot.ReceivesPrompts)
        {
            entries[keys.SupportersReceivingPrompts] = null;
        }

        if (snapshot.Unreachable)
        {
            entries[keys.SupportersUnreachable] = null;
        }

        if (!string.IsNullOrEmpty(snapshot.StateCode))
        {
            entries[keys.SupportersInState(snapshot.StateCode)] = null;
        }

        if (!string.IsNullOrEmpty(snapshot.Language))
        {
            entries[keys.SupportersWithLanguage(snapshot.Language)] = null;
        }

        foreach (var campaign in snapshot.Campaigns)
        {
            entries[keys.SupportersInCampaign(campaign)] = null;
        }

        return entries;
    }
}
