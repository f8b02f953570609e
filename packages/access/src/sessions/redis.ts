import { parseOptions } from '@platform/core';
import {
  type GuardOptionsInput,
  guardOptionsSchema,
  type RedisClientLike,
  redisGuard,
  redisPrefixSchema,
  redisScript,
  scriptRunner,
} from '@platform/core/stores';
import { z } from 'zod';
import type { RotateResult, SessionRecord, SessionStore } from './store.js';

const schema = guardOptionsSchema({ timeoutMs: 250, maxTimeoutMs: 2000 }).extend({
  client: z.custom<RedisClientLike>(
    (v) => typeof v === 'object' && v !== null,
    'must be a Redis client',
  ),
  prefix: redisPrefixSchema('platform:sessions:'),
});

export interface RedisSessionStoreOptions extends GuardOptionsInput {
  /** An ioredis or node-redis client (single node: logout-everywhere touches keys of several sessions). */
  client: RedisClientLike;
  /** Key prefix. Default `platform:sessions:`. */
  prefix?: string;
}

// KEYS: session, user index. ARGV: fields..., expiresAt
const CREATE = redisScript(`
redis.call('HSET', KEYS[1], 'u', ARGV[1], 't', ARGV[2], 'r', ARGV[3], 'n', ARGV[4], 'g', ARGV[5], 'c', ARGV[6], 'e', ARGV[7])
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
redis.call('SADD', KEYS[2], ARGV[8])
if redis.call('PEXPIRETIME', KEYS[2]) < tonumber(ARGV[7]) then redis.call('PEXPIREAT', KEYS[2], ARGV[7]) end
return 1`);

const GET = redisScript(`return redis.call('HGETALL', KEYS[1])`);

// KEYS: session. ARGV: presented generation, new expiresAt. {1, fields} rotated, {2, user} reused, {0} invalid
const ROTATE = redisScript(`
local g = redis.call('HGET', KEYS[1], 'g')
if not g then return {0} end
g = tonumber(g)
local presented = tonumber(ARGV[1])
if presented == g then
  redis.call('HSET', KEYS[1], 'g', g + 1, 'e', ARGV[2])
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
  return {1, redis.call('HGETALL', KEYS[1])}
end
if presented < g then
  local user = redis.call('HGET', KEYS[1], 'u')
  redis.call('DEL', KEYS[1])
  return {2, user}
end
return {0}`);

// KEYS: user index. ARGV: session key prefix. Deletes every session of the user.
const REVOKE_USER = redisScript(`
local n = 0
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  n = n + redis.call('DEL', ARGV[1] .. id)
end
redis.call('DEL', KEYS[1])
return n`);

function record(id: string, flat: unknown): SessionRecord | undefined {
  if (!Array.isArray(flat) || flat.length === 0) return undefined;
  const f: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) f[String(flat[i])] = String(flat[i + 1]);
  const s: SessionRecord = {
    id,
    userId: f.u as string,
    roles: JSON.parse(f.r ?? '[]') as string[],
    generation: Number(f.g),
    createdAt: Number(f.c),
    expiresAt: Number(f.e),
  };
  if (f.t) s.tenantId = f.t;
  if (f.n) s.name = f.n;
  return s;
}

/**
 * Sessions in Redis: one hash per session expiring with it, a set per user for
 * logout-everywhere, every step one Lua script under the store kit's deadline and breaker.
 *
 * @example
 * const sessions = createSessions({ store: redisSessionStore({ client: new Redis() }), secret });
 */
export function redisSessionStore(options: RedisSessionStoreOptions): SessionStore {
  const o = parseOptions(schema, options, 'redisSessionStore');
  const runner = scriptRunner(o.client, 'redisSessionStore');
  const guard = redisGuard(o.client, o, 'Redis session store');
  const sKey = (id: string) => `${o.prefix}s:${id}`;
  const uKey = (userId: string) => `${o.prefix}u:${userId}`;
  const run = <T>(script: typeof GET, keys: string[], args: string[], map: (v: unknown) => T) =>
    guard.run(() => script.run(runner, keys, args), undefined, map);

  return {
    async create(s) {
      const args = [s.userId, s.tenantId ?? '', JSON.stringify(s.roles), s.name ?? ''];
      args.push(String(s.generation), String(s.createdAt), String(s.expiresAt), s.id);
      await run(CREATE, [sKey(s.id), uKey(s.userId)], args, () => undefined);
    },
    get: (id) => run(GET, [sKey(id)], [], (flat) => record(id, flat)),
    rotate: (id, generation, expiresAt) =>
      run(ROTATE, [sKey(id)], [String(generation), String(expiresAt)], (v): RotateResult => {
        const [code, payload] = v as [number, unknown];
        if (code === 1)
          return { outcome: 'rotated', session: record(id, payload) as SessionRecord };
        if (code === 2) return { outcome: 'reused', userId: String(payload) };
        return { outcome: 'invalid' };
      }),
    revoke: (id) =>
      guard.run(
        () => runner.del([sKey(id)]),
        undefined,
        (n) => Number(n) > 0,
      ),
    revokeUser: (userId) => run(REVOKE_USER, [uKey(userId)], [`${o.prefix}s:`], (n) => Number(n)),
  };
}
