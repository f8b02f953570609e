type Arg = string | number;

/** The part of an ioredis client (or Cluster) the stores use. */
export interface IoRedisLike {
  evalsha(sha: string, numKeys: number, ...args: Arg[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: Arg[]): Promise<unknown>;
  del(...keys: string[]): Promise<unknown>;
  /** Used by the stores' `ping()`; a client without it is pinged with a one-line script. */
  ping?(): Promise<unknown>;
}

/** The part of a node-redis v4/v5 client (or cluster) the stores use. */
export interface NodeRedisLike {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  /** Used by the stores' `ping()`; a client without it is pinged with a one-line script. */
  ping?(): Promise<unknown>;
}

/** Either client: `scriptRunner` detects which one by its method names. */
export type RedisClientLike = IoRedisLike | NodeRedisLike;

/** One calling convention over both clients: keys and arguments as arrays of strings. */
export interface ScriptRunner {
  evalSha(sha: string, keys: string[], args: string[]): Promise<unknown>;
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  /** `PING` (or a script answering `PONG` for a client without `ping()`). */
  ping(): Promise<unknown>;
}

const PONG = "return 'PONG'";

function isNodeRedis(client: RedisClientLike): client is NodeRedisLike {
  return typeof (client as Partial<NodeRedisLike>).evalSha === 'function';
}

/**
 * One calling convention over both clients. `store` names the caller in the TypeError a
 * client of neither kind gets.
 *
 * @example
 * const runner = scriptRunner(new Redis(process.env.REDIS_URL));
 * await runner.eval('return 1', [], []);
 */
export function scriptRunner(client: RedisClientLike, store = 'scriptRunner'): ScriptRunner {
  if (isNodeRedis(client)) {
    return {
      evalSha: (sha, keys, args) => client.evalSha(sha, { keys, arguments: args }),
      eval: (script, keys, args) => client.eval(script, { keys, arguments: args }),
      del: (keys) => client.del(keys),
      ping: () =>
        typeof client.ping === 'function'
          ? client.ping()
          : client.eval(PONG, { keys: [], arguments: [] }),
    };
  }
  const io = client as IoRedisLike;
  if (typeof io.evalsha !== 'function') {
    throw new TypeError(`${store}: client must be an ioredis or node-redis client`);
  }
  return {
    evalSha: (sha, keys, args) => io.evalsha(sha, keys.length, ...keys, ...args),
    eval: (script, keys, args) => io.eval(script, keys.length, ...keys, ...args),
    del: (keys) => io.del(...keys),
    ping: () => (typeof io.ping === 'function' ? io.ping() : io.eval(PONG, 0)),
  };
}

/** True for the reply Redis gives EVALSHA when its script cache lacks the script. */
export function isNoScript(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.startsWith('NOSCRIPT');
}

/**
 * Whether the client knows its connection is down: ioredis's `status`, node-redis's
 * `isReady`; `undefined` for a client that cannot tell (a cluster, a wrapper).
 */
export function connectionState(client: RedisClientLike): () => boolean | undefined {
  const c = client as { status?: unknown; isReady?: unknown };
  if (typeof c.isReady === 'boolean') return () => c.isReady as boolean;
  if (typeof c.status === 'string') return () => c.status === 'ready';
  return () => undefined;
}

/** True for an ioredis or node-redis client or cluster: what `scriptRunner` accepts. */
export function isRedisClient(value: unknown): value is RedisClientLike {
  const c = value as Partial<IoRedisLike & NodeRedisLike> | null;
  return typeof c?.evalsha === 'function' || typeof c?.evalSha === 'function';
}
