import {
  type BodySchema,
  logLevelSchema,
  revertSchema,
  rolloutSchema,
  tenantOverrideSchema,
  toggleSchema,
} from '../schemas/index.js';
import type { AdminRole } from './access.js';

/** The console's API areas, each served by one package's own handler. */
export type Area = 'session' | 'flags' | 'logging' | 'inspector' | 'audit' | 'usage' | 'health';

/** What one API call needs and, for a change, how it is recorded. */
export interface Rule {
  area: Area;
  /** The path below the area (`flags/new-checkout/toggle` → `new-checkout/toggle`). */
  parts: string[];
  need: AdminRole;
  /** Changes (or reads) state of every tenant: refused to tenant-scoped principals. */
  global?: boolean;
  /** The tenant the call changes (a flag's tenant override). */
  tenant?: string;
  /** The body schema, shared with the UI. */
  schema?: BodySchema;
  /** The audit action of a change; absent for reads. */
  action?: string;
  target?: { type: string; id: string };
}

const READS = new Set(['GET', 'HEAD']);
export const isRead = (method: string) => READS.has(method);

const FLAG_VERBS: Record<string, string> = {
  'POST:1': 'create',
  'PUT:1': 'update',
  'DELETE:1': 'delete',
  'POST:revert': 'revert',
};

/** Reads that show every tenant's overrides (history, analytics, stale report). */
const SPANNING = new Set(['history', 'analytics', 'stale']);

function flagRule(method: string, parts: string[]): Omit<Rule, 'area' | 'parts'> {
  const [key = '', sub, tenant] = parts;
  if (isRead(method)) return { need: 'viewer', global: SPANNING.has(sub ?? '') };
  const target = { type: 'flag', id: key };
  if (sub === 'toggle' && method === 'POST')
    return {
      need: 'operator',
      global: true,
      schema: toggleSchema,
      action: 'admin.flag.toggle',
      target,
    };
  if (sub === 'rollout' && method === 'PUT')
    return {
      need: 'operator',
      global: true,
      schema: rolloutSchema,
      action: 'admin.flag.rollout',
      target,
    };
  if (sub === 'tenants' && tenant !== undefined && parts.length === 3) {
    const set = method === 'PUT';
    return {
      need: 'admin',
      tenant,
      schema: set ? tenantOverrideSchema : undefined,
      action: set ? 'admin.flag.override.set' : 'admin.flag.override.remove',
      target,
    };
  }
  const verb = FLAG_VERBS[`${method}:${sub ?? (key ? 1 : 0)}`] ?? 'change';
  const schema = verb === 'revert' ? revertSchema : undefined;
  return { need: 'admin', global: true, schema, action: `admin.flag.${verb}`, target };
}

function loggingRule(method: string, parts: string[]): Omit<Rule, 'area' | 'parts'> {
  if (isRead(method)) return { need: 'viewer' };
  const target = { type: 'logger', id: parts.join('/') || '(root)' };
  const set = method === 'PUT';
  return {
    need: 'operator',
    global: true,
    schema: set ? logLevelSchema : undefined,
    action: set ? 'admin.log_level.set' : 'admin.log_level.reset',
    target,
  };
}

const AREAS = new Set<string>([
  'session',
  'flags',
  'logging',
  'inspector',
  'audit',
  'usage',
  'health',
]);

/** The rule of `api/<area>/<parts>`, or undefined when no such call exists (404). */
export function ruleOf(method: string, segments: string[]): Rule | undefined {
  const [area, ...parts] = segments;
  if (area === undefined || !AREAS.has(area)) return undefined;
  const at = { area: area as Area, parts };
  switch (area) {
    case 'flags':
      return { ...at, ...flagRule(method, parts) };
    case 'logging':
      return { ...at, ...loggingRule(method, parts) };
    case 'audit':
      return isRead(method) ? { ...at, need: 'admin' } : undefined;
    case 'inspector':
      // every request's log lines, of every tenant
      return isRead(method) ? { ...at, need: 'operator', global: true } : undefined;
    default:
      return isRead(method) ? { ...at, need: 'viewer' } : undefined;
  }
}
