-- Compare-and-set save of one session hash.
-- KEYS[1]  the session hash (fields v = version, d = JSON)
-- ARGV[1]  expected stored version; 0 = the key must not exist yet
-- ARGV[2]  session JSON
-- ARGV[3]  time to live in milliseconds; 0 = never expires
-- Returns the new version, or -1 when the stored version differs (nothing is written).
-- Only commands that Redis 7.0 and Garnet (Lua 5.4) both run.
local expected = tonumber(ARGV[1])
if expected == 0 then
    if redis.call('EXISTS', KEYS[1]) == 1 then
        return -1
    end
else
    local stored = redis.call('HGET', KEYS[1], 'v')
    if not stored or tonumber(stored) ~= expected then
        return -1
    end
end

local version = expected + 1
redis.call('HSET', KEYS[1], 'v', tostring(version), 'd', ARGV[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
    redis.call('PEXPIRE', KEYS[1], ttl)
else
    redis.call('PERSIST', KEYS[1])
end
return version
