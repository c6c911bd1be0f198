using SpeakUp.Core.Messaging;
using SpeakUp.Core.Sessions;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>
/// Supporter indexes: joined (sorted by join time), receiving prompts, unreachable, per state, per language and per
/// campaign joined.
/// Only joined supporters are indexed: onboarding sessions expire, and an index entry has no expiry to follow them.
/// A move is one MULTI/EXEC of the differences; all index keys share the <c>{supporters}</c> hash tag. The engine records
/// a move before the session save that causes it (<see cref="BeginMoveAsync"/>); the move clears the record in its own
/// transaction, and <see cref="SupporterIndexRepair"/> finishes moves whose process died in between.
/// </summary>
internal sealed class RedisSupporterDirectory(IConnectionMultiplexer redis, RedisKeys keys, Admin.RedisReferrals? referrals = null) : ISupporterDirectory
{
    public async Task BeginMoveAsync(ChatKey chat, SupporterSnapshot? before, string moveId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(moveId);
        var (records, byTime) = keys.SupporterMoves;
        var field = MoveField(chat, moveId);
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.HashSetAsync(records, field, string.Join('\n', Entries(before).Keys.Select(k => k.ToString())));
        _ = transaction.SortedSetAddAsync(byTime, field, at.ToUnixTimeMilliseconds());
        await RedisFailures.GuardAsync(transaction.ExecuteAsync(), cancellationToken);
    }

    public Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, CancellationToken cancellationToken) =>
        ApplyAsync(before, after, null, cancellationToken);

    public async Task ApplyAsync(SupporterSnapshot? before, SupporterSnapshot? after, string? moveId, CancellationToken cancellationToken)
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

        await MoveAsync(chat.Value, Entries(before), after, addUnchanged: false, moveId is null ? null : MoveField(chat.Value, moveId), cancellationToken);
    }

    /// <summary>Moves begun before <paramref name="olderThan"/> and never completed, oldest first.</summary>
    public async Task<IReadOnlyList<PendingMove>> PendingMovesAsync(DateTimeOffset olderThan, int max, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var (records, byTime) = keys.SupporterMoves;
        var due = await RedisFailures.GuardAsync(
            db.SortedSetRangeByScoreWithScoresAsync(byTime, double.NegativeInfinity, olderThan.ToUnixTimeMilliseconds(), take: max),
            cancellationToken);
        if (due.Length == 0)
        {
            return [];
        }

        var values = await RedisFailures.GuardAsync(db.HashGetAsync(records, [.. due.Select(d => d.Element)]), cancellationToken);
        var moves = new List<PendingMove>(due.Length);
        for (var i = 0; i < due.Length; i++)
        {
            var field = due[i].Element.ToString();
            var bar = field.LastIndexOf('|');
            if (bar <= 0 || !ChatKey.TryParse(field[..bar], out var chat))
            {
                // Not one of ours (nothing else writes here): drop it, or it would be read on every pass.
                await RedisFailures.GuardAsync(db.SortedSetRemoveAsync(byTime, due[i].Element), cancellationToken);
                continue;
            }

            RedisKey[] wasIn = values[i].IsNullOrEmpty ? [] : [.. values[i].ToString().Split('\n').Select(k => (RedisKey)k)];
            moves.Add(new PendingMove(chat.Value, field, DateTimeOffset.FromUnixTimeMilliseconds((long)due[i].Score), wasIn));
        }

        return moves;
    }

    /// <summary>
    /// Puts the chat where <paramref name="now"/> (read from its session) says, out of every index the record says it was
    /// in, and ends the record. Safe to repeat and to run on several instances at once: set moves are idempotent.
    /// </summary>
    public async Task RepairAsync(PendingMove move, SupporterSnapshot? now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(move);
        if (now is not null && now.Chat != move.Chat)
        {
            throw new ArgumentException($"The move is for {move.Chat}, the snapshot for {now.Chat}.", nameof(now));
        }

        // Where the record says the chat was is all that is known of it (not the join time), so every index it belongs to
        // is written again: the move may have been cut off before any of it.
        var was = move.WasIn.ToDictionary(key => key, _ => (double?)null);
        await MoveAsync(move.Chat, was, now is { Joined: true } ? now : null, addUnchanged: true, move.Field, cancellationToken);
    }

    /// <summary>
    /// One MULTI/EXEC: out of the indexes in <paramref name="was"/> that <paramref name="after"/> is not in, into those it
    /// is in (all of them with <paramref name="addUnchanged"/>, else only the new ones and a changed join time), and the
    /// move's record ended when there is one. Then the referral credit of a join, or its end for a forgotten supporter.
    /// </summary>
    private async Task MoveAsync(ChatKey chat, Dictionary<RedisKey, double?> was, SupporterSnapshot? after, bool addUnchanged, string? recordField, CancellationToken cancellationToken)
    {
        var isNow = Entries(after);
        var member = RedisKeys.Member(chat);
        var transaction = redis.GetDatabase().CreateTransaction();
        var queued = new List<Task>();
        foreach (var key in was.Keys.Where(key => !isNow.ContainsKey(key)))
        {
            queued.Add(key == keys.SupportersJoined ? transaction.SortedSetRemoveAsync(key, member) : transaction.SetRemoveAsync(key, member));
        }

        foreach (var (key, score) in isNow)
        {
            if (!addUnchanged && was.TryGetValue(key, out var previous) && previous == score)
            {
                continue;
            }

            queued.Add(score is { } joinedAt ? transaction.SortedSetAddAsync(key, member, joinedAt) : transaction.SetAddAsync(key, member));
        }

        if (recordField is not null)
        {
            // The move and the end of its record are one transaction: there is never a record of a move already made.
            var (records, byTime) = keys.SupporterMoves;
            queued.Add(transaction.HashDeleteAsync(records, recordField));
            queued.Add(transaction.SortedSetRemoveAsync(byTime, recordField));
        }

        if (queued.Count > 0)
        {
            await RedisFailures.GuardAsync(transaction.ExecuteAsync(), cancellationToken);
            await Task.WhenAll(queued);
        }

        await CreditReferralAsync(chat, was.ContainsKey(keys.SupportersJoined), after, cancellationToken);
    }

    private static string MoveField(ChatKey chat, string moveId) => chat + "|" + moveId;

    private async Task CreditReferralAsync(ChatKey chat, bool wasJoined, SupporterSnapshot? after, CancellationToken cancellationToken)
    {
        // A join through someone's r_<code> link credits them, once (the script remembers who was credited).
        if (referrals is not null && !wasJoined && after is { Joined: true, Referrer: { Length: > 0 } code })
        {
            await referrals.CreditAsync(after.Chat, code, cancellationToken);
        }
        else if (referrals is not null && wasJoined && after is null)
        {
            await referrals.ForgetAsync(chat, cancellationToken);
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

/// <summary>An index move begun and not completed: the chat, its record's field, when it began, and the index keys it was in.</summary>
internal sealed record PendingMove(ChatKey Chat, string Field, DateTimeOffset At, IReadOnlyList<RedisKey> WasIn);
