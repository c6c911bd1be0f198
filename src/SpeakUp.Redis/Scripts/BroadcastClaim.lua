-- A broadcast worker's one round trip: it records what happened to the recipients of its previous claim, then claims
-- its next recipients of a job, each with its own slot of the shared rate. Folding the outcomes into the next claim
-- halves the round trips of a message, and a batch shares one trip among several.
--
-- KEYS: 1 meta, 2 pending, 3 inflight, 4 owner, 5 done, 6 tat, 7 pause, 8 recent, 9 active, 10 attempts of the job
--       claimed; 11 meta, 12 pending, 13 inflight, 14 owner, 15 done, 16 attempts of the job the outcomes belong to
--       (usually the same job); 17 claimers (instance → until when its slots may still be sending).
-- ARGV: 1 claim token (instance/sequence, new for every claim), 2 slot interval ms, 3 lease ms, 4 job id, 5 most to
--       claim (0: only record), 6 horizon ms, 7 max attempts, 8 the outcomes' claim token, 9 number of outcomes, then
--       per outcome: member, code, delay ms.
-- Outcome codes: s sent, u unreachable, f failed; r retry after the delay and count an attempt (timeout, 5xx: it may
--       have been delivered); p put back after the delay, no attempt (a 429, a pause, a slot given up, the host
--       stopping: nothing was sent).
-- Returns {'claimed', shared, member, slot µs from now, attempts, member, …} | {'wait', ms} | {'idle', ms} | {'done'} |
--       {'recorded'}. shared is 1 when another instance holds slots within a second of these: then a slot that wakes up
--       late must be given up, as its lateness could bunch it with the other instance's sends a second later.
--
-- The owner hash holds the token of the claim that holds each recipient, and an outcome counts only with that token:
-- an outcome sent again after a lost reply, or a stale one, can never touch a recipient another claim holds now. When a
-- lease runs out (the instance died mid-send) the recipient becomes "unknown" and is never claimed again, but its token
-- stays, so a late outcome from the claim that held it can still say what really happened.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000

local fields = { s = 'sent', u = 'unreachable', f = 'failed' }
local token = ARGV[8]
local maxAttempts = tonumber(ARGV[7])
for i = 0, tonumber(ARGV[9]) - 1 do
  local m, code, delay = ARGV[10 + i * 3], ARGV[11 + i * 3], tonumber(ARGV[12 + i * 3])
  if redis.call('HGET', KEYS[14], m) == token then
    local unknown = redis.call('HGET', KEYS[15], m) == 'x'
    redis.call('ZREM', KEYS[13], m)
    redis.call('HDEL', KEYS[14], m)
    if fields[code] then
      if unknown then redis.call('HINCRBY', KEYS[11], 'unknown', -1) end
      redis.call('HSET', KEYS[15], m, code)
      redis.call('HINCRBY', KEYS[11], fields[code], 1)
    elseif code == 'p' and unknown then
      -- Never sent, though its lease ran out first: due again rather than unknown, while the job still runs.
      if redis.call('HGET', KEYS[11], 'status') == 'Running' then
        redis.call('HDEL', KEYS[15], m)
        redis.call('HINCRBY', KEYS[11], 'unknown', -1)
        redis.call('ZADD', KEYS[12], now + delay, m)
      end
    elseif not unknown then
      local n = 0
      if code == 'r' then n = redis.call('HINCRBY', KEYS[16], m, 1) end
      if code == 'r' and n >= maxAttempts then
        redis.call('HSET', KEYS[15], m, 'f')
        redis.call('HINCRBY', KEYS[11], 'failed', 1)
      else
        redis.call('ZADD', KEYS[12], now + delay, m)
      end
    end
  end
end

local want = tonumber(ARGV[5])
if want == 0 then return {'recorded'} end
if redis.call('HGET', KEYS[1], 'status') ~= 'Running' then return {'done'} end

-- Leases that ran out: their instance died mid-send and we cannot know whether Telegram delivered, so never resent.
local expired = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 100)
for _, m in ipairs(expired) do
  redis.call('ZREM', KEYS[3], m)
  redis.call('HSET', KEYS[5], m, 'x')
  redis.call('HINCRBY', KEYS[1], 'unknown', 1)
end

local pause = redis.call('PTTL', KEYS[7])
if pause > 0 then return {'wait', pause} end

-- One message a second per chat: a chat sent to (or answered) within the last second waits for its turn.
redis.call('ZREMRANGEBYSCORE', KEYS[8], '-inf', now - 1000)
local candidates = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, want)
local interval, lease, horizon = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[6])

-- Does another instance hold slots within a second of now? (Each records until when its slots may still be sending.)
local instance = string.match(ARGV[1], '^(.*)/%d+$') or ARGV[1]
local shared = 0
local claimers = redis.call('HGETALL', KEYS[17])
for i = 1, #claimers, 2 do
  if claimers[i] ~= instance then
    if tonumber(claimers[i + 1]) > now then shared = 1 else redis.call('HDEL', KEYS[17], claimers[i]) end
  end
end

-- GCRA without a burst: each recipient gets the next free slot, one interval after the previous one, so the sends of
-- every instance line up evenly; a schedule that fell behind (claims came late) restarts from now rather than sending
-- what it missed at once. (Making up for a stall that way was tried: the sends then bunch into one burst a second.)
-- A claim takes its first slot however far ahead it lies (each worker holds one), and more only while they fall within
-- the horizon, so a batch never reserves what others could send sooner.
local tat = tonumber(redis.call('GET', KEYS[6]) or '0')
local taken, slots = {}, {}
for _, c in ipairs(candidates) do
  local last = redis.call('ZSCORE', KEYS[8], c)
  if last and now - tonumber(last) < 1000 then
    redis.call('ZADD', KEYS[2], tonumber(last) + 1000, c)
  else
    local slot = math.max(tat, now)
    if #taken > 0 and slot - now > horizon then break end
    taken[#taken + 1] = c
    slots[#slots + 1] = slot
    tat = slot + interval
  end
end

if #taken == 0 then
  if redis.call('ZCARD', KEYS[2]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
    redis.call('HSET', KEYS[1], 'status', 'Completed', 'finished', math.floor(now))
    redis.call('SREM', KEYS[9], ARGV[4])
    return {'done'}
  end
  local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  local wait = 250
  if #first > 0 then wait = math.max(1, math.min(math.floor(tonumber(first[2]) - now), 250)) end
  return {'idle', wait}
end

redis.call('SET', KEYS[6], string.format('%.3f', tat), 'PX', 60000)
local leases, owners, recent = {}, {}, {}
for i, m in ipairs(taken) do
  leases[#leases + 1] = slots[i] + lease
  leases[#leases + 1] = m
  owners[#owners + 1] = m
  owners[#owners + 1] = ARGV[1]
  recent[#recent + 1] = slots[i]
  recent[#recent + 1] = m
end
redis.call('ZREM', KEYS[2], unpack(taken))
redis.call('ZADD', KEYS[3], unpack(leases))
redis.call('HSET', KEYS[4], unpack(owners))
redis.call('ZADD', KEYS[8], unpack(recent))
-- The window only needs the last second: once nothing is sent it expires, so it names no chat for long (/forgetme).
redis.call('PEXPIRE', KEYS[8], math.max(0, math.ceil(slots[#slots] - now)) + 2000)
local attempts = redis.call('HMGET', KEYS[10], unpack(taken))
redis.call('HSET', KEYS[17], instance, math.floor(slots[#slots] + 1000))
redis.call('PEXPIRE', KEYS[17], 60000)

local out = {'claimed', shared}
for i, m in ipairs(taken) do
  out[#out + 1] = m
  out[#out + 1] = math.floor((slots[i] - now) * 1000)
  out[#out + 1] = tonumber(attempts[i]) or 0
end
return out
