namespace SpeakUp.Redis.Broadcasts;

/// <summary>
/// The broadcast engine's Lua scripts. Every key of a job and the shared rate keys carry the <c>{supporters}</c> hash tag,
/// like the supporter indexes the audience is read from, so the audience snapshot is one server-side script (no member
/// ever crosses the network) and a claim takes the recipient and the send token in one atomic step. Time is the server's
/// (TIME), so instances with skewed clocks still share one pace and one lease clock.
/// </summary>
internal static class BroadcastScripts
{
    private const string Now = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        """;

    /// <summary>KEYS: meta, all, scheduled. ARGV: id, definition json, created ms, due ms, created by, kind.</summary>
    public const string Create = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'def', ARGV[2], 'status', 'Scheduled', 'created', ARGV[3], 'due', ARGV[4],
          'total', 0, 'sent', 0, 'failed', 0, 'unreachable', 0, 'unknown', 0, 'by', ARGV[5], 'kind', ARGV[6])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
        redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
        return 1
        """;

    /// <summary>
    /// The audience as a Lua function: opted-in supporters (the prompts set, which excludes unreachable and opted-out
    /// people), intersected with the union of the chosen states and of the chosen languages, joined since a time; or an
    /// explicit list of chats. Keys from KEYS[first]: prompts, joined, then nStates state sets, then nLangs language sets.
    /// </summary>
    private const string Audience = """
        local function audience(first, nS, nL, since, chats)
          if #chats > 0 then return chats end
          local prompts, joined = KEYS[first], KEYS[first + 1]
          local idx = first + 2
          local states, langs = {}, {}
          for i = 1, nS do states[i] = KEYS[idx]; idx = idx + 1 end
          for i = 1, nL do langs[i] = KEYS[idx]; idx = idx + 1 end
          local members = redis.call('SMEMBERS', prompts)
          local out = {}
          for _, m in ipairs(members) do
            local ok = true
            if nS > 0 then
              ok = false
              for _, k in ipairs(states) do if redis.call('SISMEMBER', k, m) == 1 then ok = true; break end end
            end
            if ok and nL > 0 then
              ok = false
              for _, k in ipairs(langs) do if redis.call('SISMEMBER', k, m) == 1 then ok = true; break end end
            end
            if ok and since then
              local j = redis.call('ZSCORE', joined, m)
              ok = j ~= false and j ~= nil and tonumber(j) >= since
            end
            if ok then out[#out + 1] = m end
          end
          return out
        end
        local function args()
          local nS, nL = tonumber(ARGV[2]), tonumber(ARGV[3])
          local since = nil
          if ARGV[4] ~= '' then since = tonumber(ARGV[4]) end
          local chats = {}
          for i = 6, 5 + tonumber(ARGV[5]) do chats[#chats + 1] = ARGV[i] end
          return nS, nL, since, chats
        end
        """;

    /// <summary>
    /// Takes the snapshot of a scheduled job and makes it runnable; nothing when it is not scheduled any more (another
    /// instance started it, or it was cancelled). KEYS: meta, pending, scheduled, active, prompts, joined, states…, langs….
    /// ARGV: id, nStates, nLangs, since ms or '', nChats, chats….
    /// </summary>
    public const string Start = Now + "\n" + Audience + "\n" + """
        if redis.call('HGET', KEYS[1], 'status') ~= 'Scheduled' then return -1 end
        local nS, nL, since, chats = args()
        local members = audience(5, nS, nL, since, chats)
        local batch = {}
        for _, m in ipairs(members) do
          batch[#batch + 1] = 0
          batch[#batch + 1] = m
          if #batch >= 1000 then redis.call('ZADD', KEYS[2], unpack(batch)); batch = {} end
        end
        if #batch > 0 then redis.call('ZADD', KEYS[2], unpack(batch)) end
        local total = redis.call('ZCARD', KEYS[2])
        redis.call('HSET', KEYS[1], 'status', 'Running', 'started', now, 'total', total)
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('SADD', KEYS[4], ARGV[1])
        return total
        """;

    /// <summary>Same keys and arguments as <see cref="Start"/> minus the job's: KEYS from prompts. Counts the audience.</summary>
    public const string Count = Audience + "\n" + """
        local nS, nL, since, chats = args()
        return #audience(1, nS, nL, since, chats)
        """;

    /// <summary>
    /// Claims one due recipient and one send slot of the global rate (GCRA: each claim reserves the next free slot, so
    /// workers of every instance line up instead of racing). Leases that ran out first become "unknown": their instance
    /// died mid-send and we cannot know whether Telegram delivered, so they are never resent.
    /// KEYS: meta, pending, inflight, owner, done, tat, pause, recent, active, attempts.
    /// ARGV: instance, interval ms, lease ms, job id.
    /// Returns {'claimed', member, slot delay ms, attempts} | {'wait', ms} | {'idle', ms} | {'done'}.
    /// </summary>
    public const string Claim = Now + "\n" + """
        if redis.call('HGET', KEYS[1], 'status') ~= 'Running' then return {'done'} end
        local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)
        for _, m in ipairs(expired) do
          redis.call('ZREM', KEYS[3], m)
          redis.call('HDEL', KEYS[4], m)
          redis.call('HSET', KEYS[5], m, 'x')
          redis.call('HINCRBY', KEYS[1], 'unknown', 1)
        end
        local pause = redis.call('PTTL', KEYS[7])
        if pause > 0 then return {'wait', pause} end
        redis.call('ZREMRANGEBYSCORE', KEYS[8], '-inf', now - 1000)
        local member = nil
        for i = 1, 8 do
          local c = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 1)
          if #c == 0 then break end
          local last = redis.call('ZSCORE', KEYS[8], c[1])
          if last and now - tonumber(last) < 1000 then
            redis.call('ZADD', KEYS[2], tonumber(last) + 1000, c[1])
          else
            member = c[1]
            break
          end
        end
        if not member then
          if redis.call('ZCARD', KEYS[2]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
            redis.call('HSET', KEYS[1], 'status', 'Completed', 'finished', now)
            redis.call('SREM', KEYS[9], ARGV[4])
            return {'done'}
          end
          local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          local wait = 250
          if #first > 0 then wait = math.max(1, math.min(tonumber(first[2]) - now, 250)) end
          return {'idle', wait}
        end
        local interval = tonumber(ARGV[2])
        local tat = tonumber(redis.call('GET', KEYS[6]) or '0')
        local slot = math.max(tat, now)
        redis.call('SET', KEYS[6], tostring(slot + interval), 'PX', 60000)
        redis.call('ZREM', KEYS[2], member)
        redis.call('ZADD', KEYS[3], slot + tonumber(ARGV[3]), member)
        redis.call('HSET', KEYS[4], member, ARGV[1])
        redis.call('ZADD', KEYS[8], slot, member)
        local attempts = redis.call('HGET', KEYS[10], member) or '0'
        return {'claimed', member, tostring(math.floor(slot - now)), attempts}
        """;

    /// <summary>
    /// Records an outcome. A recipient whose lease ran out was recorded "unknown"; the real outcome replaces it.
    /// KEYS: meta, inflight, owner, done. ARGV: member, outcome code, counter field.
    /// </summary>
    public const string Complete = """
        local prev = redis.call('HGET', KEYS[4], ARGV[1])
        local removed = redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[3], ARGV[1])
        if removed == 0 and prev ~= 'x' then return 0 end
        if prev == 'x' then redis.call('HINCRBY', KEYS[1], 'unknown', -1) end
        redis.call('HSET', KEYS[4], ARGV[1], ARGV[2])
        redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
        return 1
        """;

    /// <summary>
    /// Puts a claimed recipient back, due after a delay; counts an attempt unless it was a 429 (nothing was sent).
    /// KEYS: meta, pending, inflight, owner, done, attempts. ARGV: member, delay ms, max attempts, counts (0/1).
    /// </summary>
    public const string Retry = Now + "\n" + """
        if redis.call('ZREM', KEYS[3], ARGV[1]) == 0 then return 0 end
        redis.call('HDEL', KEYS[4], ARGV[1])
        local n = redis.call('HINCRBY', KEYS[6], ARGV[1], tonumber(ARGV[4]))
        if n >= tonumber(ARGV[3]) then
          redis.call('HSET', KEYS[5], ARGV[1], 'f')
          redis.call('HINCRBY', KEYS[1], 'failed', 1)
          return 2
        end
        redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
        return 1
        """;

    /// <summary>A 429: one pause for everyone, and the rate's next slot after it. KEYS: pause, tat. ARGV: ms.</summary>
    public const string Pause = Now + "\n" + """
        local ms = tonumber(ARGV[1])
        local current = redis.call('PTTL', KEYS[1])
        if current < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
        local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
        if tat < now + ms then redis.call('SET', KEYS[2], tostring(now + ms), 'PX', 60000 + ms) end
        return 1
        """;

    /// <summary>An interactive send takes a slot of the shared rate without waiting. KEYS: tat, recent. ARGV: interval ms, chat.</summary>
    public const string Debit = Now + "\n" + """
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        redis.call('SET', KEYS[1], tostring(math.max(tat, now) + tonumber(ARGV[1])), 'PX', 60000)
        redis.call('ZADD', KEYS[2], now, ARGV[2])
        return 1
        """;

    /// <summary>KEYS: meta, scheduled, active. ARGV: id.</summary>
    public const string Cancel = Now + "\n" + """
        local status = redis.call('HGET', KEYS[1], 'status')
        if status ~= 'Scheduled' and status ~= 'Running' then return 0 end
        redis.call('HSET', KEYS[1], 'status', 'Cancelled', 'finished', now)
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('SREM', KEYS[3], ARGV[1])
        return 1
        """;
}
