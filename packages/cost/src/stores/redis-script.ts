import { redisScript } from '@platform/core/stores';

/**
 * One script for every store operation of a group (a tenant): all five keys share the
 * group's hash tag, so the script runs on one Cluster slot. KEYS: counters hash, counter
 * expiries zset, holds hash, hold expiries zset, alert claims zset. ARGV[1] is the mode
 * (a admit, s settle, r release, p peek, c claim), ARGV[2] the caller's clock (epoch ms).
 */
const SOURCE = `
local C, CE, H, HE, A = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local mode = ARGV[1]
local now = tonumber(ARGV[2])

local function bump(f, delta)
  local v = redis.call('HINCRBY', C, f, delta)
  if v < 0 then redis.call('HSET', C, f, 0); v = 0 end
  return v
end

local function unhold(rid)
  local h = redis.call('HGET', H, rid)
  local held = {}
  if h then
    local parts = cjson.decode(h)
    for i = 1, #parts, 2 do held[parts[i]] = (held[parts[i]] or 0) + tonumber(parts[i + 1]) end
    redis.call('HDEL', H, rid)
  end
  redis.call('ZREM', HE, rid)
  return h ~= false and h ~= nil, held
end

local function keep(deadline)
  local ttl = math.max(1000, deadline - now)
  for _, k in ipairs(KEYS) do
    if redis.call('EXISTS', k) == 1 then
      if redis.call('PTTL', k) == -1 then redis.call('PEXPIRE', k, ttl)
      else redis.call('PEXPIRE', k, ttl, 'GT') end
    end
  end
end

for _, rid in ipairs(redis.call('ZRANGEBYSCORE', HE, '-inf', now, 'LIMIT', 0, 200)) do
  local _, held = unhold(rid)
  for f, a in pairs(held) do bump(f, -a) end
end
for _, f in ipairs(redis.call('ZRANGEBYSCORE', CE, '-inf', now, 'LIMIT', 0, 200)) do
  redis.call('HDEL', C, f); redis.call('ZREM', CE, f)
end

if mode == 'a' then
  local id, hold, n = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
  local values, fields, amounts, expiries = {}, {}, {}, {}
  local blocked = -1
  for i = 1, n do
    local b = 5 + (i - 1) * 5
    fields[i] = ARGV[b + 1]; amounts[i] = tonumber(ARGV[b + 2]); expiries[i] = tonumber(ARGV[b + 5])
    values[i] = tonumber(redis.call('HGET', C, fields[i]) or '0')
    if blocked < 0 and ARGV[b + 4] == '1' and values[i] + amounts[i] > tonumber(ARGV[b + 3]) then
      blocked = i - 1
    end
  end
  if blocked >= 0 then return {0, blocked, unpack(values)} end
  local parts, maxExp = {}, hold
  for i = 1, n do
    values[i] = bump(fields[i], amounts[i])
    redis.call('ZADD', CE, expiries[i], fields[i])
    parts[#parts + 1] = fields[i]; parts[#parts + 1] = tostring(amounts[i])
    if expiries[i] > maxExp then maxExp = expiries[i] end
  end
  redis.call('HSET', H, id, cjson.encode(parts))
  redis.call('ZADD', HE, hold, id)
  keep(maxExp)
  return {1, -1, unpack(values)}
end

if mode == 's' then
  local id, n = ARGV[3], tonumber(ARGV[4])
  local found, held = unhold(id)
  local values, maxExp = {}, now
  for i = 1, n do
    local b = 4 + (i - 1) * 3
    local f, amt, exp = ARGV[b + 1], tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
    values[i] = bump(f, amt - (held[f] or 0))
    held[f] = nil
    redis.call('ZADD', CE, exp, f)
    if exp > maxExp then maxExp = exp end
  end
  for f, a in pairs(held) do bump(f, -a) end
  keep(maxExp)
  return {found and 1 or 0, -1, unpack(values)}
end

if mode == 'r' then
  local _, held = unhold(ARGV[3])
  for f, a in pairs(held) do bump(f, -a) end
  return {1, -1}
end

if mode == 'p' then
  local values = {}
  for i = 3, #ARGV do values[#values + 1] = tonumber(redis.call('HGET', C, ARGV[i]) or '0') end
  return {1, -1, unpack(values)}
end

if mode == 'c' then
  redis.call('ZREMRANGEBYSCORE', A, '-inf', now)
  local added = redis.call('ZADD', A, 'NX', tonumber(ARGV[4]), ARGV[3])
  keep(tonumber(ARGV[4]))
  return {added, -1}
end
return redis.error_reply('unknown mode ' .. tostring(mode))
`;

export const SCRIPT = redisScript(SOURCE);
