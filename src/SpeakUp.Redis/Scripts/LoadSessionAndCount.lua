-- Loads one session and counts the inbound message it is loaded for in the chat's flood window, in one round trip.
-- KEYS[1]  the session hash (fields v = version, d = JSON)
-- KEYS[2]  the chat's message times in the window (sorted set)
-- KEYS[3]  the flag set with the "slow down" notice
-- ARGV[1]  the message's delivery id as the session JSON writes it: a JSON string, quotes included; '' = none
-- ARGV[2]  now, unix milliseconds
-- ARGV[3]  window, milliseconds
-- ARGV[4]  messages allowed in the window
-- ARGV[5]  a member unique to the message (a retried load adds the same member, so it counts once)
-- Returns {v, d, count, notify}: v and d as HMGET gives them; count = messages in the window, this one included, or -1
-- when the session has already handled this delivery (a redelivery is not counted again); notify = 1 for the first
-- message over the limit since the flag expired. The counting is count_flood from FloodCount.lua (prepended), the one
-- the flood gate (FloodHit.lua) runs too.
-- Only commands that Redis 7.0 and Garnet (Lua 5.4) both run.
local stored = redis.call('HMGET', KEYS[1], 'v', 'd')
local json = stored[2]

-- Has the session handled this delivery? Its ids are the strings of "recentDeliveries":[...]. The serializer writes
-- '"' inside a string as \u0022, but scan escapes anyway so that no string content is taken for its end.
local function seen(id)
    if not json or id == '' or not string.find(json, id, 1, true) then
        return false
    end

    local _, open = string.find(json, '"recentDeliveries":[', 1, true)
    if not open then
        return false
    end

    local i = open + 1
    while string.sub(json, i, i) == '"' do
        local j = i + 1
        while true do
            local k = string.find(json, '[\\"]', j)
            if not k then
                return false
            end
            if string.sub(json, k, k) == '\\' then
                j = k + 2
            else
                if string.sub(json, i, k) == id then
                    return true
                end
                i = k + 1
                break
            end
        end
        if string.sub(json, i, i) == ',' then
            i = i + 1
        end
    end
    return false
end

if seen(ARGV[1]) then
    return {stored[1], json, -1, 0}
end

local n, notify = count_flood(KEYS[2], KEYS[3], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5])
return {stored[1], json, n, notify}
