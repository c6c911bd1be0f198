-- Counts one post in a fixed rate-limit window that starts with the window's first post.
-- KEYS[1]  the counter
-- ARGV[1]  window length, milliseconds
-- Returns the number of posts in the window so far, this one included.
local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return n
