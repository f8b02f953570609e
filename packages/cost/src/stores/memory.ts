import type {
  AdmitRequest,
  AdmitResult,
  BudgetStore,
  LedgerStore,
  RecordQuery,
  RollupQuery,
  RollupRow,
  SettleRequest,
  SettleResult,
  UsageRecord,
} from '../store.js';
import { addTotals, noTotals } from '../totals.js';

interface Group {
  counters: Map<string, { value: number; expiresAt: number }>;
  holds: Map<string, { amounts: Map<string, number>; holdUntil: number }>;
  claims: Map<string, number>;
}

export interface MemoryStoreOptions {
  /** Usage records kept for `records()` queries (rollups are kept whole). Default 10,000. */
  maxRecords?: number;
}

export type MemoryStore = BudgetStore & LedgerStore;

/**
 * Budgets and ledger in this process: the default, for one instance and for tests. Counters
 * drop when their period ends; the raw record list is bounded, rollups are not.
 *
 * @example
 * const control = costControl({ store: memoryStore(), limits });
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxRecords = options.maxRecords ?? 10_000;
  const groups = new Map<string, Group>();
  const records: UsageRecord[] = [];
  const seen = new Set<string>();
  const rollups = new Map<string, RollupRow>();

  const group = (name: string): Group => {
    let g = groups.get(name);
    if (!g) {
      g = { counters: new Map(), holds: new Map(), claims: new Map() };
      groups.set(name, g);
    }
    return g;
  };

  const add = (g: Group, key: string, amount: number, expiresAt: number) => {
    const c = g.counters.get(key);
    if (c) {
      c.value = Math.max(0, c.value + amount);
      c.expiresAt = Math.max(c.expiresAt, expiresAt);
    } else g.counters.set(key, { value: Math.max(0, amount), expiresAt });
  };

  const sweep = (g: Group, now: number) => {
    for (const [id, h] of g.holds) {
      if (h.holdUntil > now) continue;
      for (const [k, a] of h.amounts) add(g, k, -a, 0);
      g.holds.delete(id);
    }
    for (const [k, c] of g.counters) if (c.expiresAt <= now) g.counters.delete(k);
    for (const [k, e] of g.claims) if (e <= now) g.claims.delete(k);
  };

  // A tenant with nothing left (its periods over) is forgotten: memory follows live tenants.
  const prune = (name: string, g: Group) => {
    if (g.counters.size === 0 && g.holds.size === 0 && g.claims.size === 0) groups.delete(name);
  };

  return {
    async admit(req: AdmitRequest): Promise<AdmitResult> {
      const g = group(req.group);
      sweep(g, req.now);
      const values = req.counters.map((c) => g.counters.get(c.key)?.value ?? 0);
      for (let i = 0; i < req.counters.length; i++) {
        const c = req.counters[i];
        if (c?.enforce && (values[i] as number) + c.amount > c.limit) {
          prune(req.group, g);
          return { ok: false, blocked: i, values };
        }
      }
      const amounts = new Map<string, number>();
      for (const c of req.counters) {
        add(g, c.key, c.amount, c.expiresAt);
        amounts.set(c.key, (amounts.get(c.key) ?? 0) + c.amount);
      }
      g.holds.set(req.id, { amounts, holdUntil: req.holdUntil });
      return { ok: true, values: req.counters.map((c) => g.counters.get(c.key)?.value ?? 0) };
    },

    async settle(req: SettleRequest): Promise<SettleResult> {
      const g = group(req.group);
      sweep(g, req.now);
      const hold = g.holds.get(req.id);
      g.holds.delete(req.id);
      for (const c of req.counters) {
        add(g, c.key, c.amount - (hold?.amounts.get(c.key) ?? 0), c.expiresAt);
        hold?.amounts.delete(c.key);
      }
      if (hold) for (const [k, a] of hold.amounts) add(g, k, -a, 0);
      prune(req.group, g);
      return {
        found: hold !== undefined,
        values: req.counters.map((c) => g.counters.get(c.key)?.value ?? 0),
      };
    },

    async release(groupName, id, now) {
      const g = group(groupName);
      sweep(g, now);
      const hold = g.holds.get(id);
      if (!hold) return;
      g.holds.delete(id);
      for (const [k, a] of hold.amounts) add(g, k, -a, 0);
    },

    async peek(groupName, keys, now) {
      const g = group(groupName);
      sweep(g, now);
      const values = keys.map((k) => g.counters.get(k)?.value ?? 0);
      prune(groupName, g);
      return values;
    },

    async claim(groupName, key, expiresAt, now) {
      const g = group(groupName);
      sweep(g, now);
      if (g.claims.has(key)) return false;
      g.claims.set(key, expiresAt);
      return true;
    },

    async record(batch) {
      for (const r of batch) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        records.push(r);
        if (records.length > maxRecords) {
          const dropped = records.shift();
          if (dropped) seen.delete(dropped.id);
        }
        const key = JSON.stringify([r.day, r.tenant, r.user ?? '', r.model]);
        const row = rollups.get(key) ?? {
          day: r.day,
          tenant: r.tenant,
          user: r.user ?? '',
          model: r.model,
          ...noTotals(),
        };
        addTotals(row, { calls: 1, ...r.usage, costNanoUsd: r.costNanoUsd });
        rollups.set(key, row);
      }
    },

    async records(q: RecordQuery) {
      const out: UsageRecord[] = [];
      for (let i = records.length - 1; i >= 0 && out.length < (q.limit ?? 100); i--) {
        const r = records[i] as UsageRecord;
        if (q.tenant !== undefined && r.tenant !== q.tenant) continue;
        if (q.requestId !== undefined && r.requestId !== q.requestId) continue;
        if (q.from !== undefined && r.at < q.from) continue;
        if (q.to !== undefined && r.at >= q.to) continue;
        out.push(r);
      }
      return out;
    },

    async rollups(q: RollupQuery) {
      return [...rollups.values()]
        .filter(
          (r) =>
            r.day >= q.fromDay &&
            r.day <= q.toDay &&
            (q.tenant === undefined || r.tenant === q.tenant),
        )
        .map((r) => ({ ...r }))
        .sort(compareRows);
    },
  };
}

/** Day, tenant, user, model: the order every store returns rollups in. */
export function compareRows(a: RollupRow, b: RollupRow): number {
  for (const k of ['day', 'tenant', 'user', 'model'] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}
