-- One inbound message against the chat's sliding minute.
-- KEYS[1]  the chat's message times (zset)   KEYS[2]  the notice flag
-- ARGV[1]  now ms   ARGV[2]  window ms   ARGV[3]  limit   ARGV[4]  a unique member
-- Returns {messages in the window, 1 when this is the first over the limit since the flag expired}.
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
