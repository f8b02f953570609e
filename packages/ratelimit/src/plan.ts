import type { Keyer, LimitInput, Subject } from './keys.js';
import type { CompiledPolicy } from './policy.js';
import type { PlannedCheck } from './result.js';
import type { StoreKey } from './store.js';

/** Subjects whose planned checks a static policy remembers (see `#planRemembered`). */
const PLANS = 10_000;

type SubjectOf = (input: LimitInput) => Subject | undefined;

/**
 * Turns a request or a key into the store checks of a limiter's policies: the key of each
 * counter (with its Redis Cluster hash tag), limit, cost and window.
 */
export class Planner {
  /** One policy: the fast paths below skip the loops. */
  readonly single: boolean;
  readonly #policies: readonly CompiledPolicy[];
  readonly #keyer: Keyer;
  readonly #subjectOf: readonly SubjectOf[];
  readonly #prefixes: readonly string[];
  readonly #scopes: readonly string[];
  // A static policy (fixed limit and cost) plans the same check for a returning client, so
  // it is remembered per subject (bounded, forgotten wholesale when full). Shared: checks
  // are never written to after planning.
  readonly #plans: readonly (Map<string, readonly PlannedCheck[]> | undefined)[];

  constructor(name: string, policies: readonly CompiledPolicy[], keyer: Keyer) {
    this.#policies = policies;
    this.#keyer = keyer;
    this.#subjectOf = policies.map((p) => keyer.compile(p.by));
    // One policy: the key is its own Redis Cluster hash tag (spreads load). Several: they
    // share the limiter's tag, so the one multi-key step stays in one slot.
    const single = policies.length === 1;
    this.single = single;
    this.#prefixes = policies.map((p) => (single ? `${name}:${p.name}:{` : `{${name}}:${p.name}:`));
    this.#scopes = policies.map((p) => `${name}:${p.name}`);
    this.#plans = policies.map((p) => (p.dynamic ? undefined : new Map()));
  }

  /** The checks for a request: one per policy that has a key for it. */
  forRequest(input: LimitInput, cost: number | undefined): readonly PlannedCheck[] {
    if (this.single && cost === undefined) {
      const s = (this.#subjectOf[0] as SubjectOf)(input);
      return s ? this.#planRemembered(0, s, input) : [];
    }
    const checks: PlannedCheck[] = [];
    for (let i = 0; i < this.#policies.length; i++) {
      const s = this.#subjectOf[i]?.(input);
      if (!s) continue;
      checks.push(
        cost === undefined
          ? (this.#planRemembered(i, s, input)[0] as PlannedCheck)
          : this.#planOne(i, s.value, s.kind, input, cost),
      );
    }
    return checks;
  }

  /** The checks for an explicit key (`check(key)`, `refund(key)`): every policy. */
  forKey(key: string, input: LimitInput, cost: number | undefined): PlannedCheck[] {
    const subject = this.#keyer.escape(key);
    if (this.single) return [this.#planOne(0, subject, 'key', input, cost)];
    return this.#policies.map((_, i) => this.#planOne(i, subject, 'key', input, cost));
  }

  /** Where `key` is counted in every policy (`reset(key)`). */
  keysOf(key: string): StoreKey[] {
    const subject = this.#keyer.escape(key);
    return this.#policies.map((_, i) => ({
      key: this.#keyOf(i, subject),
      scope: this.#scopes[i] as string,
      subject,
    }));
  }

  #keyOf(i: number, subject: string): string {
    return this.single ? `${this.#prefixes[i]}${subject}}` : `${this.#prefixes[i]}${subject}`;
  }

  #planOne(
    i: number,
    subject: string,
    kind: string,
    input: LimitInput,
    cost: number | undefined,
  ): PlannedCheck {
    const p = this.#policies[i] as CompiledPolicy;
    const limit = p.limitFor(input);
    return {
      key: this.#keyOf(i, subject),
      scope: this.#scopes[i] as string,
      subject,
      algorithm: p.algorithm,
      limit,
      windowMs: p.windowMs,
      burst: p.burstFor(limit),
      cost: cost ?? p.costFor(input),
      blockMs: p.blockMs,
      policy: p.name,
      kind,
    };
  }

  #planRemembered(i: number, s: Subject, input: LimitInput): readonly PlannedCheck[] {
    const cache = this.#plans[i];
    if (!cache) return [this.#planOne(i, s.value, s.kind, input, undefined)];
    let checks = cache.get(s.value);
    if (checks?.[0]?.kind === s.kind) return checks;
    checks = [this.#planOne(i, s.value, s.kind, input, undefined)];
    if (cache.size >= PLANS) cache.clear();
    cache.set(s.value, checks);
    return checks;
  }
}
