-- Adds a confirmed submission to the review queue, once.
-- KEYS[1]  the item hash            KEYS[2]  pending (zset id -> created ms)   KEYS[3]  claims (zset id -> lease expiry ms)
-- KEYS[4]  files (hash fingerprint -> id)   KEYS[5]  the "moderators notified" flag
-- KEYS[6]  the author's index (set of their item ids), so /forgetme finds every item of a person without a scan
-- KEYS[7]  every item (zset id -> created ms), so the export walks the items in creation order without a scan
-- ARGV[1]  id   ARGV[2]  submission JSON   ARGV[3]  created ms   ARGV[4]  notify threshold   ARGV[5]  state code
-- ARGV[6…] the files' fingerprints
-- Returns {added 0/1, queue length, notify 0/1}. A known id or a known file adds nothing.
local function queue() return redis.call('ZCARD', KEYS[2]) + redis.call('ZCARD', KEYS[3]) end
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, queue(), 0} end
for i = 6, #ARGV do
    if redis.call('HEXISTS', KEYS[4], ARGV[i]) == 1 then return {0, queue(), 0} end
end
local fingerprints = {}
for i = 6, #ARGV do
    redis.call('HSET', KEYS[4], ARGV[i], ARGV[1])
    fingerprints[#fingerprints + 1] = ARGV[i]
end
redis.call('HSET', KEYS[1], 'd', ARGV[2], 'status', 'pending', 'created', ARGV[3], 'state', ARGV[5])
if #fingerprints > 0 then
    -- The item's own list of its entries in KEYS[4], for forgetting (file ids and upload hashes never hold a newline).
    redis.call('HSET', KEYS[1], 'fp', table.concat(fingerprints, '\n'))
end
redis.call('SADD', KEYS[6], ARGV[1])
redis.call('ZADD', KEYS[7], ARGV[3], ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local n = queue()
local notify = 0
if n >= tonumber(ARGV[4]) and redis.call('EXISTS', KEYS[5]) == 0 then
    redis.call('SET', KEYS[5], '1')
    notify = 1
end
return {1, n, notify}
