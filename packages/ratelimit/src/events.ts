import type { LimitInput } from './keys.js';
import type { LimitResult } from './result.js';

/** The structured line written once per refused (or, in dry-run, would-be refused) request. */
export interface DenyEvent {
  level: 'warn';
  msg: 'rate limit exceeded';
  time: string;
  requestId?: string;
  limiter: string;
  /** What the violated policy counted by: `user`, `ip`, `tenant+route`, `key`... */
  keyKind: string;
  /** The stored key value: masked IP, escaped id, or a digest when `hashKeys` is on. */
  key: string;
  violated: string[];
  policies: {
    policy: string;
    limit: number;
    remaining: number;
    retryAfterMs: number;
    cost: number;
  }[];
  dryRun: boolean;
  method?: string;
  route?: string;
}

/**
 * The lines a limiter writes about its store: one when checks start failing (the fail mode
 * decides them), one when the store answers again, with what was decided meanwhile.
 */
export type StoreHealthEvent =
  | {
      level: 'warn';
      msg: 'rate limit store degraded';
      time: string;
      limiter: string;
      failMode: 'open' | 'closed';
      reason: string;
      error: string;
    }
  | {
      level: 'info';
      msg: 'rate limit store recovered';
      time: string;
      limiter: string;
      failMode: 'open' | 'closed';
      degradedMs: number;
      failedOpen: number;
      failedClosed: number;
    };

/** Every line a limiter logs: refusals (`msg: 'rate limit exceeded'`) and store health. */
export type LimiterLogEvent = DenyEvent | StoreHealthEvent;

export type DenyLogger = (event: LimiterLogEvent) => void;

/** What the metrics hook learns about each decision. */
export interface DecisionEvent {
  limiter: string;
  outcome: 'allowed' | 'denied' | 'dry-run' | 'failed-open' | 'failed-closed' | 'skipped';
  result: LimitResult;
}

export type DecisionHook = (event: DecisionEvent) => void;

export function outcomeOf(r: LimitResult): DecisionEvent['outcome'] {
  if (r.skipped) return 'skipped';
  if (r.degraded) return r.allowed ? 'failed-open' : 'failed-closed';
  if (!r.limited) return 'allowed';
  return r.dryRun ? 'dry-run' : 'denied';
}

/** A refusal's fields: what the deny line carries besides level, message and time. */
export type DenyFields = Omit<DenyEvent, 'level' | 'msg' | 'time'>;

export function denyFields(r: LimitResult, input: LimitInput): DenyFields {
  const violated = r.policies.filter((p) => !p.allowed);
  const main = violated.find((p) => p.policy === r.policy) ?? violated[0];
  const ctx = input.context;
  const fields: DenyFields = {
    limiter: r.limiter,
    keyKind: main?.kind ?? 'unknown',
    key: main?.key ?? '',
    violated: violated.map((p) => p.policy),
    policies: r.policies.map((p) => ({
      policy: p.policy,
      limit: p.limit,
      remaining: p.remaining,
      retryAfterMs: p.retryAfterMs,
      cost: p.cost,
    })),
    dryRun: r.dryRun,
  };
  if (ctx?.requestId) fields.requestId = ctx.requestId;
  const method = ctx?.method ?? input.exchange?.method;
  const route = ctx?.route ?? input.exchange?.route;
  if (method) fields.method = method;
  if (route) fields.route = route;
  return fields;
}

export function denyEvent(fields: DenyFields): DenyEvent {
  return { level: 'warn', msg: 'rate limit exceeded', time: new Date().toISOString(), ...fields };
}
