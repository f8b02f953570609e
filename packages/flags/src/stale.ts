import type { ResolvedDefinition } from './define.js';
import type { FlagState } from './model.js';
import type { EvaluationCount } from './store.js';

export type StaleReason = 'past_lifetime' | 'not_evaluated' | 'single_variant';

export interface StaleFlag {
  key: string;
  reasons: StaleReason[];
  kind?: string;
  owner?: string;
  ageDays?: number;
  lifetimeDays?: number | null;
  lastEvaluated?: string;
  /** The only variant served, when one variant got 100% of evaluations. */
  variant?: string;
}

export interface StaleReportOptions {
  /** Report flags with no evaluation for this many days (default 30). */
  notEvaluatedDays?: number;
  now?: Date;
}

const DAY = 86_400_000;

/**
 * Flags to clean up: past their kind's expected lifetime, not evaluated in N days, or
 * serving one variant to 100% of evaluations.
 */
export function staleReport(
  flags: FlagState[],
  definitions: ReadonlyMap<string, ResolvedDefinition>,
  counts: EvaluationCount[],
  options: StaleReportOptions = {},
): StaleFlag[] {
  const now = (options.now ?? new Date()).getTime();
  const idleDays = options.notEvaluatedDays ?? 30;
  const byFlag = new Map<string, { last: string; variants: Set<string>; total: number }>();
  for (const c of counts) {
    const e = byFlag.get(c.flag) ?? { last: '', variants: new Set<string>(), total: 0 };
    if (c.lastEvaluated > e.last) e.last = c.lastEvaluated;
    if (c.count > 0) e.variants.add(c.variant);
    e.total += c.count;
    byFlag.set(c.flag, e);
  }
  const keys = new Set([...flags.map((f) => f.key), ...definitions.keys()]);
  const stateOf = new Map(flags.map((f) => [f.key, f]));
  const out: StaleFlag[] = [];
  for (const key of [...keys].sort()) {
    const state = stateOf.get(key);
    const def = definitions.get(key);
    const reasons: StaleReason[] = [];
    const item: StaleFlag = { key, reasons };
    const kind = state?.kind ?? def?.kind;
    if (kind) item.kind = kind;
    const owner = state?.owner ?? def?.owner;
    if (owner) item.owner = owner;
    const created = state?.createdAt ?? def?.createdAt;
    const lifetime = def ? def.lifetimeDays : null;
    item.lifetimeDays = lifetime;
    if (created) {
      const age = Math.floor((now - Date.parse(created)) / DAY);
      item.ageDays = age;
      if (lifetime !== null && lifetime !== undefined && age > lifetime)
        reasons.push('past_lifetime');
    }
    const usage = byFlag.get(key);
    if (usage?.last) item.lastEvaluated = usage.last;
    const since = usage?.last ?? created;
    if (since === undefined || now - Date.parse(since) > idleDays * DAY)
      reasons.push('not_evaluated');
    if (usage && usage.total > 0 && usage.variants.size === 1) {
      reasons.push('single_variant');
      item.variant = [...usage.variants][0]!;
    }
    if (reasons.length > 0) out.push(item);
  }
  return out;
}
