-- The flood count, shared: prepended to FloodHit.lua and LoadSessionAndCount.lua when they are read, so the gate and
-- the count that rides on the session load cannot drift apart.
-- times: the chat's message times in the window (zset)   notice: the flag set with the "slow down" notice
-- Returns the messages in the window (this one included) and 1 when this is the first over the limit since the flag
-- expired, else 0.
local function count_flood(times, notice, now, window, limit, member)
    redis.call('ZREMRANGEBYSCORE', times, '-inf', now - window)
    redis.call('ZADD', times, now, member)
    redis.call('PEXPIRE', times, window)
    local n = redis.call('ZCARD', times)
    local notify = 0
    if n > limit then
        if redis.call('EXISTS', notice) == 0 then
            notify = 1
        end
        redis.call('SET', notice, '1', 'PX', window)
    end
    return n, notify
end

