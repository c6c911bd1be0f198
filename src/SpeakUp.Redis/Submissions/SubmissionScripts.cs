namespace SpeakUp.Redis.Submissions;

/// <summary>
/// The review queue's scripts. Only commands Redis 7.0 and Garnet 2.2 both run (strings, hashes, zsets).
/// Kept beside the store (not in Scripts/) so this folder is self-contained.
/// </summary>
internal static class SubmissionScripts
{
    /// <summary>
    /// KEYS: item, pending, claims, files, notified. ARGV: id, json, created ms, notifyAt, state code, fingerprints…
    /// Returns {added 0/1, queue length, notify 0/1}. A known id or a known file adds nothing.
    /// </summary>
    public const string Add = """
        local function queue() return redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) end
        if redis.call('EXISTS', KEYS[1]) == 1 then return {0, queue(), 0} end
        for i = 6, #ARGV do
            if redis.call('HEXISTS', KEYS[4], ARGV[i]) == 1 then return {0, queue(), 0} end
        end
        for i = 6, #ARGV do redis.call('HSET', KEYS[4], ARGV[i], ARGV[1]) end
        redis.call('HSET', KEYS[1], 'd', ARGV[2], 'status', 'pending', 'created', ARGV[3], 'state', ARGV[5])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        local n = queue()
        local notify = 0
        if n >= tonumber(ARGV[4]) and redis.call('EXISTS', KEYS[5]) == 0 then
            redis.call('SET', KEYS[5], '1')
            notify = 1
        end
        return {1, n, notify}
        """;

    /// <summary>
    /// KEYS: pending, claims. ARGV: now ms, lease ms, moderator, item key prefix, allowed state codes… (none = any).
    /// Expired claims go back to the queue; the moderator's live claim is renewed and returned; else the oldest item (of an
    /// allowed state) is claimed. A state filter scans the queue in order: fine for the queues a campaign day produces.
    /// Returns the id, or nil when there is nothing to review.
    /// </summary>
    public const string Claim = """
        local now = tonumber(ARGV[1])
        local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
        for _, id in ipairs(expired) do
            redis.call('ZREM', KEYS[2], id)
            local created = redis.call('HGET', ARGV[4] .. id, 'created')
            if created and redis.call('HGET', ARGV[4] .. id, 'status') == 'pending' then
                redis.call('ZADD', KEYS[1], created, id)
            end
            redis.call('HDEL', ARGV[4] .. id, 'claimedBy')
        end
        for _, id in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
            if redis.call('HGET', ARGV[4] .. id, 'claimedBy') == ARGV[3] then
                redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), id)
                return id
            end
        end
        local id = nil
        if #ARGV < 5 then
            id = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
        else
            local allowed = {}
            for i = 5, #ARGV do allowed[ARGV[i]] = true end
            for _, candidate in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
                if allowed[redis.call('HGET', ARGV[4] .. candidate, 'state') or ''] then
                    id = candidate
                    break
                end
            end
        end
        if not id then return false end
        redis.call('ZREM', KEYS[1], id)
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), id)
        redis.call('HSET', ARGV[4] .. id, 'claimedBy', ARGV[3])
        return id
        """;

    /// <summary>
    /// KEYS: item, pending, claims, notified. ARGV: id, moderator, now ms, status, reason, notifyAt.
    /// Returns 1 decided, 0 already decided, -1 claimed by another moderator (lease live), -2 unknown item.
    /// </summary>
    public const string Decide = """
        local status = redis.call('HGET', KEYS[1], 'status')
        if not status then return -2 end
        if status ~= 'pending' then return 0 end
        local claimer = redis.call('HGET', KEYS[1], 'claimedBy')
        local lease = redis.call('ZSCORE', KEYS[3], ARGV[1])
        if claimer and claimer ~= ARGV[2] and lease and tonumber(lease) > tonumber(ARGV[3]) then return -1 end
        redis.call('HSET', KEYS[1], 'status', ARGV[4], 'decidedBy', ARGV[2], 'decidedAt', ARGV[3], 'reason', ARGV[5])
        redis.call('HDEL', KEYS[1], 'claimedBy')
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZREM', KEYS[3], ARGV[1])
        if redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) < tonumber(ARGV[6]) then
            redis.call('DEL', KEYS[4])
        end
        return 1
        """;

    /// <summary>KEYS: item, pending, claims. ARGV: id, moderator, now ms. Puts the moderator's claimed item at the end of the queue.</summary>
    public const string Release = """
        if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
        if redis.call('HGET', KEYS[1], 'claimedBy') ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], 'claimedBy')
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        return 1
        """;

    /// <summary>KEYS: item, its publish lease. ARGV: lease ms. 1 when the item is approved (not published) and the lease was free.</summary>
    public const string StartPublishing = """
        if redis.call('HGET', KEYS[1], 'status') ~= 'approved' then return 0 end
        if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
        redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
        return 1
        """;

    /// <summary>KEYS: item, its publish lease. ARGV: post url. 1 when it moved from approved to published.</summary>
    public const string MarkPublished = """
        if redis.call('HGET', KEYS[1], 'status') ~= 'approved' then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'published', 'url', ARGV[1])
        redis.call('DEL', KEYS[2])
        return 1
        """;

    /// <summary>
    /// KEYS: the chat's message times (zset), the notice flag. ARGV: now ms, window ms, limit, a unique member.
    /// Returns {messages in the window, 1 when this is the first over the limit since the flag expired}.
    /// </summary>
    public const string Flood = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        redis.call('ZADD', KEYS[1], now, ARGV[4])
        redis.call('PEXPIRE', KEYS[1], window)
        local n = redis.call('ZCARD', KEYS[1])
        local notify = 0
        if n > tonumber(ARGV[3]) then
            if redis.call('EXISTS', KEYS[2]) == 0 then notify = 1 end
            redis.call('SET', KEYS[2], '1', 'PX', window)
        end
        return {n, notify}
        """;
}
