import { block, evaluate, refund, type State } from '@platform/ratelimit/algorithms';
import type { RateLimitStore, StoreCheck, StoreDecision } from '../src/index.js';
import { describeRateLimitStore } from '../src/testkit.js';

/**
 * A third party's store written only against the published subpath, as the README shows:
 * states in a Map, decided by the reference algorithms. It must pass the same suite.
 */
function mapStore(): RateLimitStore {
  const states = new Map<string, State>();
  const live = (key: string, now: number) => {
    const s = states.get(key);
    return s && s.expiresAt > now ? s : undefined;
  };
  return {
    synchronous: true,
    consume(checks: readonly StoreCheck[]): StoreDecision {
      const now = Date.now();
      const steps = checks.map((c) => evaluate(live(c.key, now), c, now));
      const all = steps.every((s) => s.allowed);
      const outcomes = steps.map((s, i) => {
        const check = checks[i] as StoreCheck;
        const out = all || s.allowed ? s : block(s, check, now);
        if (out.write && (all || !out.allowed)) states.set(check.key, { ...out });
        return out;
      });
      return { now, outcomes };
    },
    refund(checks) {
      const now = Date.now();
      for (const c of checks) {
        const next = refund(live(c.key, now), c, now);
        if (next) states.set(c.key, next);
        else states.delete(c.key);
      }
    },
    reset(keys) {
      for (const k of keys) states.delete(k.key);
    },
  };
}

describeRateLimitStore({
  name: 'third-party (Map + @platform/ratelimit/algorithms)',
  create: mapStore,
});
