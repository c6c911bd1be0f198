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
    /// people), in any of the chosen states, with any of the chosen languages and in any of the chosen campaigns (each
    /// group only when chosen), joined since a time; or an explicit list of chats. Keys from KEYS[first]: prompts, joined,
    /// then nS state sets, nL language sets, nC campaign sets. The members walked are those of the smallest set that every
    /// recipient must be in (the prompts set, or a group of one set such as a single campaign), so a narrow audience does
    /// not cost a pass over every supporter.
    /// </summary>
    private const string Audience = """
        local function audience(first, nS, nL, nC, since, chats)
          if #chats > 0 then return chats end
          local prompts, joined = KEYS[first], KEYS[first + 1]
          local idx = first + 2
          local groups = {}
          for _, n in ipairs({nS, nL, nC}) do
            if n > 0 then
              local group = {}
              for i = 1, n do group[i] = KEYS[idx]; idx = idx + 1 end
              groups[#groups + 1] = group
            end
          end
          local walk, size = prompts, redis.call('SCARD', prompts)
          for _, group in ipairs(groups) do
            if #group == 1 then
              local n = redis.call('SCARD', group[1])
              if n < size then walk, size = group[1], n end
            end
          end
          local out = {}
          if size == 0 then return out end
          for _, m in ipairs(redis.call('SMEMBERS', walk)) do
            local ok = walk == prompts or redis.call('SISMEMBER', prompts, m) == 1
            for _, group in ipairs(groups) do
              if not ok then break end
              ok = false
              for _, k in ipairs(group) do if redis.call('SISMEMBER', k, m) == 1 then ok = true; break end end
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
          local nS, nL, nC = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
          local since = nil
          if ARGV[5] ~= '' then since = tonumber(ARGV[5]) end
          local chats = {}
          for i = 7, 6 + tonumber(ARGV[6]) do chats[#chats + 1] = ARGV[i] end
          return nS, nL, nC, since, chats
        end
        """;

    /// <summary>
    /// Takes the snapshot of a scheduled job and makes it runnable; nothing when it is not scheduled any more (another
    /// instance started it, or it was cancelled). KEYS: meta, pending, scheduled, active, prompts, joined, states…, langs…,
    /// campaigns…. ARGV: id, nStates, nLangs, nCampaigns, since ms or '', nChats, chats….
    /// </summary>
    public const string Start = Now + "\n" + Audience + "\n" + """
        if redis.call('HGET', KEYS[1], 'status') ~= 'Scheduled' then return -1 end
        local nS, nL, nC, since, chats = args()
        local members = audience(5, nS, nL, nC, since, chats)
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
        local nS, nL, nC, since, chats = args()
        return #audience(1, nS, nL, nC, since, chats)
        """;

    /// <summary>
    /// Records a worker's outcomes and claims its next recipients, each with a slot of the shared rate: embedded as
    /// Scripts/BroadcastClaim.lua, which documents its keys, arguments and answers.
    /// </summary>
    public static readonly string Claim = RedisScripts.BroadcastClaim;

    /// <summary>A 429: one pause for everyone, and the rate's next slot after it. KEYS: pause, tat. ARGV: ms.</summary>
    public const string Pause = Now + "\n" + """
        local ms = tonumber(ARGV[1])
        local current = redis.call('PTTL', KEYS[1])
        if current < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
        local tat = tonumber(redis.call('GET', KEYS[2]) or '0')
        if tat < now + ms then redis.call('SET', KEYS[2], tostring(now + ms), 'PX', 60000 + ms) end
        return 1
        """;

    /// <summary>
    /// Interactive sends take their slots of the shared rate without waiting, one slot per chat given. KEYS: tat, recent.
    /// ARGV: interval ms, then one chat per send (a chat may repeat).
    /// </summary>
    public const string Debit = Now + "\n" + """
        local sends = #ARGV - 1
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
        redis.call('SET', KEYS[1], tostring(math.max(tat, now) + sends * tonumber(ARGV[1])), 'PX', 60000)
        for i = 2, #ARGV do redis.call('ZADD', KEYS[2], now, ARGV[i]) end
        -- Only the last second matters; trimmed here too and left to expire when the bot is quiet, so the window names
        -- no chat for longer than a couple of seconds.
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 1000)
        if redis.call('PTTL', KEYS[2]) < 2000 then redis.call('PEXPIRE', KEYS[2], 2000) end
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
