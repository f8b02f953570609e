import { createHash } from 'node:crypto';
import { isNoScript, type ScriptRunner } from './redis-client.js';

/** A Lua script addressed by its SHA-1, reloaded when the server forgot it. */
export interface RedisScript {
  readonly source: string;
  /** SHA-1 of `source`, as EVALSHA and SCRIPT LOAD know it. */
  readonly sha: string;
  /**
   * EVALSHA, and EVAL once the server's script cache lost the script (SCRIPT FLUSH, a
   * restart, a failover to a replica that never saw it); EVAL caches it again.
   */
  run(runner: ScriptRunner, keys: string[], args: string[]): Promise<unknown>;
}

class Script implements RedisScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  run(runner: ScriptRunner, keys: string[], args: string[]): Promise<unknown> {
    return runner.evalSha(this.sha, keys, args).catch((err: unknown) => {
      if (isNoScript(err)) return runner.eval(this.source, keys, args);
      throw err;
    });
  }
}

/**
 * A Lua script run by SHA with NOSCRIPT recovery: one round trip while the server has it
 * cached, two (the failed EVALSHA, then EVAL) the first time after it lost it.
 *
 * @example
 * const incr = redisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
 * const value = await incr.run(scriptRunner(client), ['counter'], ['1']);
 */
export function redisScript(source: string): RedisScript {
  return new Script(source);
}
