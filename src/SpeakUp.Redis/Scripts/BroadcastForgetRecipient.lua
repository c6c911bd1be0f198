-- /forgetme in the broadcast jobs: one chat leaves every job's records, and the per-chat pacing window.
-- KEYS[1]: recent (the one-second per-chat window); then six keys per job: meta, pending, inflight, owner, done, attempts.
-- ARGV[1]: the chat as member. Returns how many jobs held the chat.
-- A recipient still waiting (pending) or in flight leaves the job's total, so its counts still add up; one in flight whose
-- send comes back later finds no owner token and its outcome is ignored (the claim script checks the token).
local m = ARGV[1]
redis.call('ZREM', KEYS[1], m)
local held = 0
for i = 2, #KEYS, 6 do
  local meta, pending, inflight, owner, done, attempts = KEYS[i], KEYS[i + 1], KEYS[i + 2], KEYS[i + 3], KEYS[i + 4], KEYS[i + 5]
  local waiting = redis.call('ZREM', pending, m) + redis.call('ZREM', inflight, m)
  -- A recipient already decided stays in the counts (sent, failed…: numbers, nothing about the person).
  if waiting > 0 then redis.call('HINCRBY', meta, 'total', -1) end
  local removed = redis.call('HDEL', owner, m) + redis.call('HDEL', done, m) + redis.call('HDEL', attempts, m)
  if waiting > 0 or removed > 0 then held = held + 1 end
end
return held
