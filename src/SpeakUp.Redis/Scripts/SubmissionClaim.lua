-- Gives a moderator the next item to review.
-- KEYS[1]  pending (zset)   KEYS[2]  claims (zset id -> lease expiry ms)
-- ARGV[1]  now ms   ARGV[2]  lease ms   ARGV[3]  moderator   ARGV[4]  item key prefix
-- ARGV[5…] allowed state codes (none = any)
-- Expired claims go back to the queue; the moderator's live claim is renewed and returned; else the oldest item (of an
-- allowed state) is claimed. A state filter scans the queue in order: fine for the queues a campaign day produces.
-- Returns the id, or nil when there is nothing to review.
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
