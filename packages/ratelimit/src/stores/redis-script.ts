import { redisScript } from '@platform/core/stores';

/**
 * One atomic step for all checks of a request, on the Redis server clock (TIME), with the
 * same arithmetic as `algorithms.ts`. ARGV[1] is the mode (`c` consume, `r` refund), then
 * six values per key: algorithm letter, limit, window ms, burst, cost, block ms.
 * State per key: "letter:blockedUntil:a:b:c" (see `State` in algorithms.ts).
 * Per call: TIME, one GET (MGET for several keys) and at most one SET or DEL per key.
 * Replies {now, then allowed(1/0), remaining, resetMs, retryAfterMs per key}.
 */
const SOURCE = `
if redis.replicate_commands then redis.replicate_commands() end
local call = redis.call
local t = call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local EPS = 1e-6

local fmt, sub, match, floor, ceil, max = string.format, string.sub, string.match, math.floor, math.ceil, math.max

-- %d is cheaper than %.17g and prints whole numbers below 1e15 the same way
local function num(x)
  if x == floor(x) and x < 1e15 and x > -1e15 then return fmt('%d', x) end
  return fmt('%.17g', x)
end

-- "letter:blockedUntil:a:b:c" as its four number texts, or nothing
local function fields(raw, alg)
  if not raw or sub(raw, 1, 2) ~= alg .. ':' then return nil end
  return match(raw, '^([^:]*):([^:]*):([^:]*):(.*)', 3)
end

-- atext / ctext: a and c as read, when unchanged. Every version of this script writes a
-- number as num() does, so the text read is the text num() would write again.
local function save(key, alg, blocked, a, b, c, expires, atext, ctext)
  if blocked > expires then expires = blocked end
  local ttl = ceil(expires - now)
  if ttl <= 0 then
    call('DEL', key)
    return
  end
  local bt = '0'
  if blocked ~= 0 then bt = num(blocked) end
  call('SET', key, alg .. ':' .. bt .. ':' .. (atext or num(a)) .. ':' .. num(b) .. ':' .. (ctext or num(c)), 'PX', ttl)
end

local function roll(st, a, b, c, win)
  if not st then return now, 0, 0 end
  if now >= a + win then
    local k = floor((now - a) / win)
    if k == 1 then c = b else c = 0 end
    return a + k * win, 0, c
  end
  return a, b, c
end

-- allowed, remaining, resetMs, retryAfterMs, a, b, c, expiresAt, write
-- (st: whether a state was stored; a, b, c: its fields)
local function evaluate(st, a, b, c, alg, limit, win, burst, cost)
  if limit <= 0 then
    if cost <= 0 then return true, 0, 0, 0, now, 0, 0, now, false end
    return false, 0, 0, win, now, 0, 0, now, false
  end
  if alg == 'f' then
    local start, count = now, 0
    if st and now < a + win then start, count = a, b end
    local finish = start + win
    if count + cost <= limit then
      local n = count + cost
      local reset = 0
      if n > 0 then reset = finish - now end
      return true, limit - n, reset, 0, start, n, 0, finish, cost > 0
    end
    return false, max(0, limit - count), finish - now, finish - now, start, count, 0, finish, false
  elseif alg == 's' then
    local start, curr, prev = roll(st, a, b, c, win)
    local elapsed = now - start
    local weighted = prev * (win - elapsed)
    local cap = limit * win
    local expires = start + 2 * win
    if weighted + (curr + cost) * win <= cap then
      local n = curr + cost
      local reset = 0
      if n > 0 then reset = expires - now elseif prev > 0 then reset = start + win - now end
      return true, floor((cap - weighted - n * win) / win), reset, 0, start, n, prev, expires, cost > 0
    end
    local retry
    if cost > limit then
      retry = expires - now
    elseif curr + cost <= limit then
      retry = win - floor(((limit - curr - cost) * win) / prev) - elapsed
    else
      retry = start + win - now + max(0, win - floor(((limit - cost) * win) / curr))
    end
    local reset = start + win - now
    if curr > 0 then reset = expires - now end
    local rem = max(0, floor((cap - weighted - curr * win) / win))
    return false, rem, reset, retry, start, curr, prev, expires, false
  end
  burst = tonumber(burst)
  local interval = win / limit
  local tolerance = (win * burst) / limit
  local tat = now
  if st and a > now then tat = a end
  local nxt = tat + cost * interval
  if nxt - tolerance <= now + EPS then
    local rem = max(0, floor((now + tolerance - nxt) / interval + EPS))
    return true, rem, max(0, ceil(nxt - now - EPS)), 0, nxt, 0, 0, nxt, cost > 0
  end
  local rem = max(0, floor((now + tolerance - tat) / interval + EPS))
  local retry = ceil(nxt - tolerance - now - EPS)
  return false, rem, max(0, ceil(tat - now - EPS)), retry, tat, 0, 0, tat, false
end

local n = #KEYS

if ARGV[1] == 'r' then
  for i = 1, n do
    local j = (i - 1) * 6 + 1
    local alg = ARGV[j + 1]
    local bt, at, bbt, ct = fields(call('GET', KEYS[i]), alg)
    if at then
      local limit, win, cost = tonumber(ARGV[j + 2]), tonumber(ARGV[j + 3]), tonumber(ARGV[j + 5])
      local blocked, a, b, c = tonumber(bt), tonumber(at), tonumber(bbt), tonumber(ct)
      local expires = 0
      if alg == 'f' then
        if now < a + win then b = max(0, b - cost) end
        expires = a + win
      elseif alg == 's' then
        local curr, prev
        a, curr, prev = roll(true, a, b, c, win)
        local fromCurrent = math.min(curr, cost)
        b = curr - fromCurrent
        c = max(0, prev - (cost - fromCurrent))
        expires = a + 2 * win
      elseif limit > 0 then
        a = max(now, a - (cost * win) / limit)
        expires = a
      end
      save(KEYS[i], alg, blocked, a, b, c, expires)
    end
  end
  return { now }
end

-- First every check at one instant, then (all allowed) every write, or the blocks.
-- Tables are presized for one or two checks (growing a Lua table costs a rehash).
local out, steps, raws
if n == 1 then
  out, steps, raws = { now, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0, 0, 0 }, { call('GET', KEYS[1]) }
elseif n > 1 then
  out, steps = { now, 0, 0, 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }
  raws = call('MGET', unpack(KEYS))
else
  return { now }
end
local all = true
for i = 1, n do
  local j = (i - 1) * 6 + 1
  local alg = ARGV[j + 1]
  local bt, at, bbt, ct = fields(raws[i], alg)
  local st = at ~= nil
  local blocked, a, b, c = 0, nil, nil, nil
  if st then
    if bt ~= '0' then blocked = tonumber(bt) end
    a, b, c = tonumber(at), tonumber(bbt), tonumber(ct)
  end
  local ok, rem, reset, retry, sa, sb, sc, expires, write
  local held = st and blocked > now
  if held then
    local wait = blocked - now
    ok, rem, reset, retry, sa, sb, sc, expires, write = false, 0, wait, wait, a, b, c, 0, false
  else
    ok, rem, reset, retry, sa, sb, sc, expires, write = evaluate(
      st, a, b, c, alg, tonumber(ARGV[j + 2]), tonumber(ARGV[j + 3]), ARGV[j + 4], tonumber(ARGV[j + 5]))
  end
  local o = (i - 1) * 4 + 1
  if ok then out[o + 1] = 1 else out[o + 1], all = 0, false end
  out[o + 2], out[o + 3], out[o + 4] = rem, reset, retry
  -- per check: a, b, c, expiresAt, write, already blocked, and a and c as read when unchanged
  local s = (i - 1) * 8
  steps[s + 1], steps[s + 2], steps[s + 3], steps[s + 4], steps[s + 5], steps[s + 6] = sa, sb, sc, expires, write, held
  steps[s + 7] = st and sa == a and at
  steps[s + 8] = st and sc == c and ct
end

for i = 1, n do
  local s = (i - 1) * 8
  local j = (i - 1) * 6 + 1
  if all then
    if steps[s + 5] then
      save(KEYS[i], ARGV[j + 1], 0, steps[s + 1], steps[s + 2], steps[s + 3], steps[s + 4], steps[s + 7], steps[s + 8])
    end
  elseif out[(i - 1) * 4 + 2] == 0 and not steps[s + 6] then
    local blockMs = tonumber(ARGV[j + 6])
    if blockMs > 0 then
      save(KEYS[i], ARGV[j + 1], now + blockMs, steps[s + 1], steps[s + 2], steps[s + 3], steps[s + 4], steps[s + 7], steps[s + 8])
      local o = (i - 1) * 4 + 1
      out[o + 3] = max(out[o + 3], blockMs)
      out[o + 4] = max(out[o + 4], blockMs)
    end
  end
end
return out
`;

export const SCRIPT = redisScript(SOURCE);
