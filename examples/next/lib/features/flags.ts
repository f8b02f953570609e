import {
  createFlags,
  defineFlags,
  type FlagStore,
  type FlagsOf,
  flagAuditEvent,
  memoryStore,
} from '@platform/flags';
import { postgresStore } from '@platform/flags/postgres';
import pg from 'pg';
import { exampleAudit } from './audit';
import type { RouteFeature } from './types';

/** The example's flags: one release flag gating GET /api/reports. */
export const definitions = defineFlags({
  betaReports: {
    type: 'boolean',
    default: false,
    kind: 'release',
    owner: 'reports-team',
    description: 'The new reports endpoint (on for tenant acme only, to start with).',
  },
});

/** The demo's starting state: off for everyone, on for tenant `acme` (tenant override). */
const seed = [
  {
    key: 'betaReports',
    serve: { variant: 'off' },
    tenants: { acme: { serve: { variant: 'on' } } },
  },
];

async function store(): Promise<FlagStore> {
  const url = process.env.PLATFORM_FLAGS_DATABASE_URL;
  if (!url) return memoryStore({ flags: seed });
  // postgresStore listens for the pool's errors: a cut connection is logged once, LISTEN
  // comes back and the flags resync; the process keeps serving
  const pool = new pg.Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 2_000 });
  const pgStore = postgresStore({
    client: pool,
    schema: process.env.PLATFORM_FLAGS_SCHEMA ?? 'public',
  });
  try {
    await pgStore.migrate();
    const existing = (await pgStore.load()).flags;
    for (const flag of seed) {
      if (!existing.some((f) => f.key === flag.key)) {
        await pgStore.put!(flag as never, { expectedVersion: 0, actor: 'seed' }).catch(() => {});
      }
    }
  } catch (err) {
    // Unreachable database: start anyway; flags serve code defaults and the client retries.
    console.error(
      `flags: PostgreSQL setup failed (${(err as Error).message}); serving code defaults`,
    );
  }
  return pgStore;
}

// Each route is its own bundle: one client per process, shared through globalThis.
const KEY = Symbol.for('platform.example.flags');
type Holder = { [KEY]?: Promise<FlagsOf<typeof definitions>> };

/** The process-wide flag client (memory store, or PostgreSQL with PLATFORM_FLAGS_DATABASE_URL). */
export function exampleFlags(): Promise<FlagsOf<typeof definitions>> {
  const holder = globalThis as Holder;
  holder[KEY] ??= store().then(async (s) => {
    const flags = createFlags({
      definitions,
      store: s,
      environment: process.env.NODE_ENV ?? 'production',
      // flag changes made through the admin API are recorded in the audit trail
      onChange: (change) => {
        exampleAudit().trail.record(flagAuditEvent(change));
      },
    });
    await flags.ready();
    return flags;
  });
  return holder[KEY];
}

/**
 * @platform/flags in the example: routes read their flags with `requestFlags(await
 * exampleFlags())`, which applies the request's user and tenant; this wrapper only makes
 * sure the client is loaded before the first handler runs.
 */
export const flags: RouteFeature =
  (handler) =>
  async (request, ...rest) => {
    await exampleFlags();
    return handler(request, ...rest);
  };
