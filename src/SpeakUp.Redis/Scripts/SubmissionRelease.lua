-- Puts the moderator's claimed item at the end of the queue (Skip).
-- KEYS[1]  the item hash   KEYS[2]  pending   KEYS[3]  claims
-- ARGV[1]  id   ARGV[2]  moderator   ARGV[3]  now ms
-- Returns 1 when released, 0 when the item is not pending or not held by this moderator.
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
if redis.call('HGET', KEYS[1], 'claimedBy') ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], 'claimedBy')
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
