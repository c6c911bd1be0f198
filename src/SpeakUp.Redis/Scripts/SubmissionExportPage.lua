-- The next page of the export's walk over every item, oldest first.
-- KEYS[1]  every item (zset id -> created ms)
-- ARGV[1]  page size   ARGV[2]  the last id the walk returned ('' on the first page)   ARGV[3]  that id's created ms
-- The walk resumes after the last id by its rank, read here in the same step as the page so an item forgotten meanwhile
-- cannot shift a page past one still there. When the last id itself was forgotten, it resumes at the first item created
-- at its time or later: the caller skips the ones of that time it already wrote.
-- Returns {id, created ms, id, created ms, ...}; empty at the end.
local start = 0
if ARGV[2] ~= '' then
    local rank = redis.call('ZRANK', KEYS[1], ARGV[2])
    if rank then
        start = rank + 1
    else
        start = redis.call('ZCOUNT', KEYS[1], '-inf', '(' .. ARGV[3])
    end
end
return redis.call('ZRANGE', KEYS[1], start, start + tonumber(ARGV[1]) - 1, 'WITHSCORES')
