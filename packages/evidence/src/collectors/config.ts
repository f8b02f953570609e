import type { AuditTrail } from '@platform/audit';
import { eventTable, readEvents } from './audit-events.js';
import { type Collector, collected, type EvidenceFile, notCollected } from './types.js';

const SECRET = /secret|password|passwd|token|credential|private|api_?key$/i;

/**
 * A JSON-safe copy of a host's configuration object: functions become `[function name]`,
 * class instances (clients, pools) `[ClassName]`, values under secret-looking keys
 * `[redacted]`, cycles `[circular]`.
 */
export function describeConfig(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'function') return `[function${value.name ? ` ${value.name}` : ''}]`;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof RegExp) return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => describeConfig(v, seen));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null)
    return `[${value.constructor?.name ?? 'object'}]`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      SECRET.test(k) && v !== undefined && typeof v !== 'object'
        ? '[redacted]'
        : describeConfig(v, seen);
  }
  return out;
}

/** `path,value` rows of a described configuration (leaves only). */
function flatten(value: unknown, path = ''): [string, string][] {
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [[path, Array.isArray(value) ? '[]' : '{}']];
    return entries.flatMap(([k, v]) => flatten(v, path ? `${path}.${k}` : k));
  }
  return [[path, String(value)]];
}

function configFile(name: string, config: unknown): EvidenceFile {
  const described = describeConfig(config);
  return {
    name,
    json: described,
    table: { columns: ['setting', 'value'], rows: flatten(described) },
  };
}

const isEmpty = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0);

/**
 * The rate limits in force, as the host passes them (the options given to `rateLimiter()` or
 * the policies read from the environment).
 *
 * @example
 * const limits = rateLimits({ config: { api: { limit: 100, window: '1m', by: ['user'] } } });
 */
export function rateLimits(options: { config?: unknown }): Collector {
  return {
    id: 'rate-limits',
    title: 'Rate-limit configuration',
    async collect() {
      if (isEmpty(options.config)) return notCollected('no rate-limit configuration given');
      const file = configFile('rate-limits', options.config);
      return collected(`${file.table?.rows.length} setting(s)`, [file]);
    },
  };
}

export interface RetentionOptions {
  /** Retention settings as the host configures them (audit `retentionDays`, legal holds, …). */
  config?: unknown;
  /** Adds the period's `audit.purge` events: retention actually applied. */
  trail?: Pick<AuditTrail, 'store'>;
}

/**
 * Retention configuration and, with a trail, the purges run in the period.
 *
 * @example
 * const kept = retention({ config: { auditRetentionDays: 2555, legalHolds: ['acme'] }, trail });
 */
export function retention(options: RetentionOptions): Collector {
  return {
    id: 'retention',
    title: 'Retention configuration and purges',
    async collect(context) {
      if (isEmpty(options.config)) return notCollected('no retention configuration given');
      const files = [configFile('retention', options.config)];
      let purges = '';
      if (options.trail) {
        const { events } = await readEvents(options.trail, ['audit.purge'], context, 10_000);
        files.push({
          name: 'purges',
          json: { count: events.length, events },
          table: eventTable(events),
        });
        purges = `; ${events.length} purge(s) in the period`;
      }
      return collected(`${files[0]?.table?.rows.length} setting(s)${purges}`, files);
    },
  };
}
