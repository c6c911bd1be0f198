-- /forgetme for the review queue: every submission of one person, whatever its status, goes from every structure.
-- KEYS[1]  the author's index (set of item ids)   KEYS[2]  pending   KEYS[3]  claims   KEYS[4]  files (fingerprint -> id)
-- KEYS[5]  the "moderators notified" flag   KEYS[6]  every item (zset id -> created ms, the export's index)
-- ARGV[1]  item key prefix   ARGV[2]  notify threshold
-- The decision counters are aggregates and stay; a post already on the channel is public and stays there.
-- A moderator holding one of the items finds it gone: its claim is removed here and every later step reads "unknown".
-- Returns the number of items deleted. Running it again deletes nothing more.
local ids = redis.call('SMEMBERS', KEYS[1])
for _, id in ipairs(ids) do
    local item = ARGV[1] .. id
    local fingerprints = redis.call('HGET', item, 'fp')
    if fingerprints then
        for fingerprint in string.gmatch(fingerprints, '[^\n]+') do
            if redis.call('HGET', KEYS[4], fingerprint) == id then
                redis.call('HDEL', KEYS[4], fingerprint)
            end
        end
    end
    redis.call('ZREM', KEYS[2], id)
    redis.call('ZREM', KEYS[3], id)
    redis.call('ZREM', KEYS[6], id)
    redis.call('DEL', item, item .. ':publishing')
end
redis.call('DEL', KEYS[1])
-- As after a decision: below the threshold again, the next crossing notifies the moderators again.
if redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) < tonumber(ARGV[2]) then
    redis.call('DEL', KEYS[5])
end
return #ids
