-- Appends one entry to a chat's web history and gives it the chat's next sequence number.
-- KEYS[1]  history list (JSON entries, oldest first)
-- KEYS[2]  sequence counter
-- KEYS[3]  recent delivery ids (sorted set, score = sequence)
-- ARGV[1]  the entry as a JSON object without "seq" (it starts with '{')
-- ARGV[2]  how many entries to keep
-- ARGV[3]  time to live of the three keys, milliseconds (renewed by every append)
-- ARGV[4]  the supporter's delivery id, or '-' for none (bot messages)
-- Returns {sequence, entry}, or {0, ''} when that delivery id was already recorded (a retried post).
-- Only commands that Redis 7.0 and Garnet (Lua 5.4) both run.
local delivery = ARGV[4]
if delivery ~= '-' and redis.call('ZSCORE', KEYS[3], delivery) then
    return {0, ''}
end

local seq = redis.call('INCR', KEYS[2])
local entry = '{"seq":' .. tostring(seq) .. ',' .. string.sub(ARGV[1], 2)
redis.call('RPUSH', KEYS[1], entry)
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
local ttl = tonumber(ARGV[3])
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
if delivery ~= '-' then
    redis.call('ZADD', KEYS[3], seq, delivery)
    -- A client retries a post within seconds; the last 100 ids are plenty.
    redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -101)
    redis.call('PEXPIRE', KEYS[3], ttl)
end
return {seq, entry}
