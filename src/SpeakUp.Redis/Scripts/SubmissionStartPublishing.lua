-- Takes the right to publish an approved item.
-- KEYS[1]  the item hash   KEYS[2]  its publish lease
-- ARGV[1]  lease ms
-- Returns 1 when the item is approved (not published) and the lease was free.
if redis.call('HGET', KEYS[1], 'status') ~= 'approved' then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[1])
return 1
