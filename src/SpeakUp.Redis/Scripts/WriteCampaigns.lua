-- Writes the campaign calendar only if it is still at the version the writer read (optimistic concurrency), so a chat
-- edit, an import and another instance's import of the same file never overwrite each other unseen.
-- KEYS[1] = {campaigns}:all (hash: id -> stored campaign JSON), KEYS[2] = {campaigns}:meta (hash).
-- ARGV[1] = expected version; ARGV[2] = number of upserts u, then u pairs (id, json); then the number of deletes d,
-- then d ids; then the number of meta fields m, then m pairs (field, value), where an empty value removes the field.
-- Returns the new version, or -1 when the version moved on (the writer reads again and retries).
local version = tonumber(redis.call('HGET', KEYS[2], 'version') or '0')
if tonumber(ARGV[1]) ~= version then
  return -1
end

local i = 2
local upserts = tonumber(ARGV[i])
i = i + 1
for _ = 1, upserts do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  i = i + 2
end

local deletes = tonumber(ARGV[i])
i = i + 1
for _ = 1, deletes do
  redis.call('HDEL', KEYS[1], ARGV[i])
  i = i + 1
end

local fields = tonumber(ARGV[i])
i = i + 1
for _ = 1, fields do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[2], ARGV[i])
  else
    redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
  end
  i = i + 2
end

return redis.call('HINCRBY', KEYS[2], 'version', 1)
