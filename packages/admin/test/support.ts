import { auditHandlers, memoryStore as auditMemory, auditTrail } from '@platform/audit';
import { getContext, type NeutralRequest } from '@platform/core';
import { costControl, costHandlers } from '@platform/cost';
import { createFlags, defineFlags, flagAdmin, memoryStore } from '@platform/flags';
import { checkFromStore, health, metrics, sloTracker } from '@platform/metrics';
import {
  createInspector,
  createLogger,
  inspectorHandlers,
  logLevelHandlers,
} from '@platform/tracing';
import { type AdminPrincipal, adminConsole, CSRF_HEADER } from '../src/index.js';

/** `who=alice:admin[:tenant]` in a cookie or the `x-who` header names the caller. */
export function principalOf(request: Pick<NeutralRequest, 'header'>): AdminPrincipal | null {
  const cookie = /(?:^|;\s*)who=([^;]+)/.exec(request.header('cookie') ?? '')?.[1];
  const who = request.header('x-who') ?? (cookie && decodeURIComponent(cookie));
  if (!who) return null;
  const [actor = '', role = '', tenant] = who.split(':');
  return { actor, roles: [role], ...(tenant && { tenant }) };
}

const hasRole = (roles: readonly string[] | undefined, role: string) =>
  roles?.includes(role) ?? false;

/** A console over real packages: memory stores, a registered log module, one health check. */
export async function stack() {
  const definitions = defineFlags({
    newCheckout: { type: 'boolean', default: false, kind: 'release', owner: 'payments' },
    banner: { type: 'boolean', default: true, kind: 'ops' },
  });
  const store = memoryStore({
    flags: [
      { key: 'newCheckout', enabled: false, serve: { rollout: { percentage: 100 } } },
      { key: 'banner' },
    ],
  });
  const flags = createFlags({ definitions, store });
  await flags.ready();
  const trail = auditTrail({ store: auditMemory() });
  const control = costControl({
    budgets: {
      default: {
        limits: [
          { metric: 'calls', period: 'day', max: 3 },
          { metric: 'money', period: 'month', max: '5.00' },
        ],
      },
    },
  });
  // Typed by what the tests read: pino's own types are not reachable from this package.
  const inspector = createInspector({ enabled: true, size: 500 });
  const log: {
    level: string;
    isLevelEnabled(level: string): boolean;
    info(message: string): void;
  } = createLogger({ module: 'payments', onLine: inspector.capture });
  let dbUp = true;
  const h = health({
    checks: [
      checkFromStore('db', {
        ping: async () => {
          if (!dbUp) throw new Error('db is down');
        },
      }),
    ],
  });
  const slos = sloTracker({
    slos: [{ name: 'api', routes: (r) => r.startsWith('/api/'), objective: 0.999, window: '30d' }],
  });
  const telemetry = metrics({ observers: [slos] });
  const console = adminConsole({
    authorize: principalOf,
    audit: trail,
    auditLog: auditHandlers({
      trail,
      authorize: ({ context }) => hasRole(context?.actor?.roles, 'admin'),
    }),
    flags: flagAdmin(flags),
    logLevels: logLevelHandlers(),
    inspector: inspectorHandlers(inspector),
    traceUrl: 'https://traces.example.com/trace/{traceId}',
    cost: costHandlers({
      control,
      // an unscoped admin may read any tenant (the console pins scoped ones to theirs)
      isAdmin: () => hasRole(getContext()?.actor?.roles, 'admin') && !getContext()?.tenantId,
    }),
    health: h,
    metrics: telemetry,
    slos,
    csrf: { secret: 'test-secret' },
  });
  return {
    console,
    flags,
    trail,
    log,
    telemetry,
    control,
    inspector,
    setDb: (up: boolean) => {
      dbUp = up;
    },
    async close() {
      await trail.close();
      await control.close();
      await h.close();
      await telemetry.close();
    },
  };
}

/** A fetch against a mounted console as `who`, with the CSRF token of `/api/session`. */
export function client(base: string, who?: string) {
  let token: string | undefined;
  const headers = (extra: Record<string, string> = {}) => ({
    ...(who && { 'x-who': who }),
    ...extra,
  });
  return {
    async session() {
      const r = await fetch(`${base}/api/session`, { headers: headers() });
      const body = (await r.json()) as { csrf?: { token: string } };
      token = body.csrf?.token;
      return { status: r.status, body };
    },
    get: (path: string) => fetch(`${base}/api/${path}`, { headers: headers() }),
    send(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
      return fetch(`${base}/api/${path}`, {
        method,
        headers: headers({
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(token && { [CSRF_HEADER]: token }),
          ...extra,
        }),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  };
}
