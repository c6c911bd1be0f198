-- Approves or rejects an item, once.
-- KEYS[1]  the item hash   KEYS[2]  pending   KEYS[3]  claims   KEYS[4]  the "moderators notified" flag
-- KEYS[5]  decision counters (hash approved / rejected -> count): aggregates that outlive the records (/forgetme deletes those)
-- ARGV[1]  id   ARGV[2]  moderator   ARGV[3]  now ms   ARGV[4]  status (approved | rejected)   ARGV[5]  reason
-- ARGV[6]  notify threshold
-- Returns 1 decided, 0 already decided, -1 claimed by another moderator (lease live), -2 unknown item.
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return -2 end
if status ~= 'pending' then return 0 end
local claimer = redis.call('HGET', KEYS[1], 'claimedBy')
local lease = redis.call('ZSCORE', KEYS[3], ARGV[1])
if claimer and claimer ~= ARGV[2] and lease and tonumber(lease) > tonumber(ARGV[3]) then return -1 end
redis.call('HSET', KEYS[1], 'status', ARGV[4], 'decidedBy', ARGV[2], 'decidedAt', ARGV[3], 'reason', ARGV[5])
redis.call('HDEL', KEYS[1], 'claimedBy')
redis.call('HINCRBY', KEYS[5], ARGV[4], 1)
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) < tonumber(ARGV[6]) then
    redis.call('DEL', KEYS[4])
end
return 1
