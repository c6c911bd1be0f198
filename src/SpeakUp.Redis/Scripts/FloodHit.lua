-- One inbound message against the chat's sliding minute (count_flood comes from FloodCount.lua, prepended).
-- KEYS[1]  the chat's message times (zset)   KEYS[2]  the notice flag
-- ARGV[1]  now ms   ARGV[2]  window ms   ARGV[3]  limit   ARGV[4]  a unique member
-- Returns {messages in the window, 1 when this is the first over the limit since the flag expired}.
local n, notify = count_flood(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4])
return {n, notify}
