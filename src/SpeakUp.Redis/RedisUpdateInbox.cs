using System.Globalization;
using SpeakUp.Core.Messaging;
using StackExchange.Redis;

namespace SpeakUp.Redis;

/// <summary>
/// The update inbox of one source as one hash, <c>speakup:{inbox:tg:123456}:updates</c>: field = update id, value = the
/// raw update. Put is HDEL of the updates handled since the last put, HSET and EXPIRE in one MULTI/EXEC; done is one HDEL
/// for a whole group; pending is HGETALL sorted by id (the hash holds at most what the host has in hand, a few thousand,
/// so no sorted set is needed for the order).
/// </summary>
internal sealed class RedisUpdateInbox(IConnectionMultiplexer redis, RedisKeys keys) : IUpdateInbox
{
    /// <summary>
    /// Refreshed at every put, so it never fires while a host polls. It bounds what is left when no host of this source
    /// polls again (a killed host switched to webhook mode): Telegram itself drops unconfirmed updates after 24 hours.
    /// </summary>
    internal static readonly TimeSpan KeepFor = TimeSpan.FromHours(24);

    public async Task PutAsync(string source, IReadOnlyCollection<InboxUpdate> updates, IReadOnlyCollection<long> done, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(done);
        var key = Key(source);
        if (updates.Count == 0)
        {
            await DoneAsync(source, done, cancellationToken);
            return;
        }

        var entries = new HashEntry[updates.Count];
        var i = 0;
        foreach (var update in updates)
        {
            entries[i++] = new HashEntry(update.Id.ToString(CultureInfo.InvariantCulture), update.Json);
        }

        var transaction = redis.GetDatabase().CreateTransaction();

        // The removals first: were an id both done and new, the new entry would be the one kept.
        var removed = done.Count == 0 ? Task.CompletedTask : transaction.HashDeleteAsync(key, Fields(done));
        var set = transaction.HashSetAsync(key, entries);
        var expire = transaction.KeyExpireAsync(key, KeepFor);
        var committed = await RedisFailures.GuardAsync(transaction.ExecuteAsync(), cancellationToken);
        if (!committed)
        {
            // No condition was added, so EXEC cannot be refused; a server that does anyway has not stored the batch.
            throw new RedisException("The inbox transaction was not committed.");
        }

        await RedisFailures.GuardAsync(Task.WhenAll(removed, set, expire), cancellationToken);
    }

    public Task DoneAsync(string source, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var key = Key(source);
        if (ids.Count == 0)
        {
            return Task.CompletedTask;
        }

        return RedisFailures.GuardAsync(redis.GetDatabase().HashDeleteAsync(key, Fields(ids)), cancellationToken);
    }

    private static RedisValue[] Fields(IReadOnlyCollection<long> ids)
    {
        var fields = new RedisValue[ids.Count];
        var i = 0;
        foreach (var id in ids)
        {
            fields[i++] = id.ToString(CultureInfo.InvariantCulture);
        }

        return fields;
    }

    public async Task<IReadOnlyList<InboxUpdate>> PendingAsync(string source, CancellationToken cancellationToken)
    {
        var entries = await RedisFailures.GuardAsync(redis.GetDatabase().HashGetAllAsync(Key(source)), cancellationToken);
        var pending = new List<InboxUpdate>(entries.Length);
        foreach (var entry in entries)
        {
            // Fields are only ever written by PutAsync; anything else is not an update and is left alone.
            if (long.TryParse((string?)entry.Name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                pending.Add(new InboxUpdate(id, (string?)entry.Value ?? ""));
            }
        }

        pending.Sort((a, b) => a.Id.CompareTo(b.Id));
        return pending;
    }

    private RedisKey Key(string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        if (source.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("A source cannot contain '{' or '}': it is the key's hash tag.", nameof(source));
        }

        return $"{keys.Prefix}{{inbox:{source}}}:updates";
    }
}
