import { createHash } from 'node:crypto';

/**
 * One atomic step for all checks of a request, on the Redis server clock (TIME), with the
 * same arithmetic as `algorithms.ts`. ARGV[1] is the mode (`c` consume, `r` refund), then
 * six values per key: algorithm letter, limit, window ms, burst, cost, block ms.
 * State per key: "letter:blockedUntil:a:b:c" (see `State` in algorithms.ts).
 * Replies {now, then allowed(1/0), remaining, resetMs, retryAfterMs per key}.
 */
export const SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local EPS = 1e-6

local fmt, find, sub, floor = string.format, string.find, string.sub, math.floor

-- %d is cheaper than %.17g and prints whole numbers below 1e15 the same way
local function num(x)
  if x == floor(x) and x < 1e15 and x > -1e15 then return fmt('%d', x) end
  return fmt('%.17g', x)
end

-- "letter:blockedUntil:a:b:c", split with plain finds (gmatch costs more)
local function load(key, alg)
  local raw = redis.call('GET', key)
  if not raw or sub(raw, 1, 2) ~= alg .. ':' then return nil end
  local i2 = find(raw, ':', 3, true)
  local i3 = i2 and find(raw, ':', i2 + 1, true)
  local i4 = i3 and find(raw, ':', i3 + 1, true)
  if not i4 then return nil end
  return {
    tonumber(sub(raw, 3, i2 - 1)),
    tonumber(sub(raw, i2 + 1, i3 - 1)),
    tonumber(sub(raw, i3 + 1, i4 - 1)),
    tonumber(sub(raw, i4 + 1)),
  }
end

local function save(key, alg, blocked, a, b, c, expires)
  local ttl = math.ceil(math.max(expires, blocked) - now)
  if ttl <= 0 then
    redis.call('DEL', key)
  else
    redis.call('SET', key, alg .. ':' .. num(blocked) .. ':' .. num(a) .. ':' .. num(b) .. ':' .. num(c), 'PX', ttl)
  end
end

local function roll(st, win)
  local start, curr, prev = now, 0, 0
  if st then
    start, curr, prev = st[2], st[3], st[4]
    if now >= start + win then
      local k = math.floor((now - start) / win)
      if k == 1 then prev = curr else prev = 0 end
      curr = 0
      start = start + k * win
    end
  end
  return start, curr, prev
end

-- allowed, remaining, resetMs, retryAfterMs, a, b, c, expiresAt, write
local function evaluate(st, alg, limit, win, burst, cost)
  if limit <= 0 then
    if cost <= 0 then return true, 0, 0, 0, now, 0, 0, now, false end
    return false, 0, 0, win, now, 0, 0, now, false
  end
  if alg == 'f' then
    local start, count = now, 0
    if st and now < st[2] + win then start, count = st[2], st[3] end
    local finish = start + win
    if count + cost <= limit then
      local n = count + cost
      local reset = 0
      if n > 0 then reset = finish - now end
      return true, limit - n, reset, 0, start, n, 0, finish, cost > 0
    end
    return false, math.max(0, limit - count), finish - now, finish - now, start, count, 0, finish, false
  elseif alg == 's' then
    local start, curr, prev = roll(st, win)
    local elapsed = now - start
    local weighted = prev * (win - elapsed)
    local cap = limit * win
    local expires = start + 2 * win
    if weighted + (curr + cost) * win <= cap then
      local n = curr + cost
      local reset = 0
      if n > 0 then reset = expires - now elseif prev > 0 then reset = start + win - now end
      return true, math.floor((cap - weighted - n * win) / win), reset, 0, start, n, prev, expires, cost > 0
    end
    local retry
    if cost > limit then
      retry = expires - now
    elseif curr + cost <= limit then
      retry = win - math.floor(((limit - curr - cost) * win) / prev) - elapsed
    else
      retry = start + win - now + math.max(0, win - math.floor(((limit - cost) * win) / curr))
    end
    local reset = start + win - now
    if curr > 0 then reset = expires - now end
    local rem = math.max(0, math.floor((cap - weighted - curr * win) / win))
    return false, rem, reset, retry, start, curr, prev, expires, false
  end
  local interval = win / limit
  local tolerance = (win * burst) / limit
  local tat = now
  if st and st[2] > now then tat = st[2] end
  local nxt = tat + cost * interval
  if nxt - tolerance <= now + EPS then
    local rem = math.max(0, math.floor((now + tolerance - nxt) / interval + EPS))
    return true, rem, math.max(0, math.ceil(nxt - now - EPS)), 0, nxt, 0, 0, nxt, cost > 0
  end
  local rem = math.max(0, math.floor((now + tolerance - tat) / interval + EPS))
  local retry = math.ceil(nxt - tolerance - now - EPS)
  return false, rem, math.max(0, math.ceil(tat - now - EPS)), retry, tat, 0, 0, tat, false
end

local n = #KEYS
local function arg(i, k) return ARGV[1 + (i - 1) * 6 + k] end

if ARGV[1] == 'r' then
  for i = 1, n do
    local alg = arg(i, 1)
    local limit, win, cost = tonumber(arg(i, 2)), tonumber(arg(i, 3)), tonumber(arg(i, 5))
    local st = load(KEYS[i], alg)
    if st then
      local a, b, c, expires = st[2], st[3], st[4], 0
      if alg == 'f' then
        if now < a + win then b = math.max(0, b - cost) end
        expires = a + win
      elseif alg == 's' then
        local curr, prev
        a, curr, prev = roll(st, win)
        local fromCurrent = math.min(curr, cost)
        b = curr - fromCurrent
        c = math.max(0, prev - (cost - fromCurrent))
        expires = a + 2 * win
      elseif limit > 0 then
        a = math.max(now, a - (cost * win) / limit)
        expires = a
      end
      save(KEYS[i], alg, st[1], a, b, c, expires)
    end
  end
  return { now }
end

local steps = {}
local all = true
for i = 1, n do
  local alg = arg(i, 1)
  local st = load(KEYS[i], alg)
  local s
  if st and st[1] > now then
    local wait = st[1] - now
    s = { false, 0, wait, wait, st[2], st[3], st[4], 0, false, true }
  else
    local limit, win = tonumber(arg(i, 2)), tonumber(arg(i, 3))
    local burst, cost = tonumber(arg(i, 4)), tonumber(arg(i, 5))
    s = { evaluate(st, alg, limit, win, burst, cost) }
  end
  if not s[1] then all = false end
  steps[i] = s
end

local out = { now }
for i = 1, n do
  local s = steps[i]
  local alg = arg(i, 1)
  if all then
    if s[9] then save(KEYS[i], alg, 0, s[5], s[6], s[7], s[8]) end
  elseif not s[1] and not s[10] then
    local blockMs = tonumber(arg(i, 6))
    if blockMs > 0 then
      save(KEYS[i], alg, now + blockMs, s[5], s[6], s[7], s[8])
      s[3] = math.max(s[3], blockMs)
      s[4] = math.max(s[4], blockMs)
    end
  end
  local ok = 0
  if s[1] then ok = 1 end
  out[#out + 1] = ok
  out[#out + 1] = s[2]
  out[#out + 1] = s[3]
  out[#out + 1] = s[4]
end
return out
`;

export const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');
