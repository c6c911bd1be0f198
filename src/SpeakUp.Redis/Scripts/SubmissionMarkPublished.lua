-- Records the channel post of an approved item.
-- KEYS[1]  the item hash   KEYS[2]  its publish lease
-- ARGV[1]  post url
-- Returns 1 when it moved from approved to published.
if redis.call('HGET', KEYS[1], 'status') ~= 'approved' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'published', 'url', ARGV[1])
redis.call('DEL', KEYS[2])
return 1
