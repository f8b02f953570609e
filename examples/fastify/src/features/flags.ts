import { requireRole } from '@platform/access/fastify';
import type { AuditTrail } from '@platform/audit';
import { getContext } from '@platform/core';
import { NotFoundError } from '@platform/errors';
import {
  createFlags,
  defineFlags,
  type FlagStore,
  flagAdmin,
  flagAuditEvent,
  memoryStore,
} from '@platform/flags';
import { fastifyFlagAdmin, fastifyFlags, flagsOf } from '@platform/flags/fastify';
import { postgresStore } from '@platform/flags/postgres';
import pg from 'pg';
import { auditedRefusals } from '../../../shared/admin-guard.js';
import type { AppFeature, FeatureEnv } from './types.js';

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

/**
 * @platform/flags in the example: `request.flags` bound to the demo user and tenant
 * (from the session), GET /api/reports gated by `betaReports`, and the admin API at
 * /api/admin/flags for the admin role (401 without a session, 403 for other roles, each
 * refusal audited). Memory store by default; PostgreSQL with
 * PLATFORM_FLAGS_DATABASE_URL.
 */
export async function flagsFeature(env: FeatureEnv, trail?: AuditTrail): Promise<AppFeature> {
  const flags = createFlags({
    definitions,
    store: await store(),
    environment: env.production ? 'production' : 'development',
    onChange: (change) => {
      trail?.record(flagAuditEvent(change));
    },
  });
  await flags.ready();
  return {
    name: 'flags',
    console: { flags: flagAdmin(flags, { production: env.production }) },
    async before(app) {
      await app.register(fastifyFlags, { flags });
    },
    async routes(app) {
      app.get('/api/reports', async (req) => {
        if (!flagsOf(req, flags).isEnabled('betaReports'))
          throw new NotFoundError('Reports are not available');
        return {
          reports: [{ id: 'r1', name: 'Monthly revenue' }],
          tenantId: getContext()?.tenantId,
        };
      });
      await app.register(
        async (scope) => {
          scope.addHook('onRequest', requireRole('admin', auditedRefusals(trail)));
          await scope.register(fastifyFlagAdmin(flags, { production: env.production }));
        },
        { prefix: '/api/admin/flags' },
      );
    },
  };
}
