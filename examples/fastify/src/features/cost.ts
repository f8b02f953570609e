import { getContext, onShutdown } from '@platform/core';
import {
  type BudgetStore,
  type CostControl,
  costControl,
  costHandlers,
  type LedgerStore,
  memoryStore,
  type UsageRecord,
  withCostControl,
} from '@platform/cost';
import { costApi } from '@platform/cost/fastify';
import { reportToPdf } from '@platform/cost/pdf';
import { z } from 'zod';
import { fakeAiClient } from '../../../test-support/fake-ai.js';
import type { AppFeature, FeatureEnv } from './types.js';

export const chatSchema = z.strictObject({
  prompt: z.string().min(1).max(4000),
  model: z.string().min(1).max(100).default('gpt-4o-mini'),
  maxTokens: z.number().int().min(1).max(1024).default(256),
});

/**
 * Memory stores by default; Redis counters when PLATFORM_COST_REDIS_URL is set and a
 * PostgreSQL ledger when PLATFORM_COST_DATABASE_URL is. Every tenant gets
 * PLATFORM_COST_CALLS_PER_DAY calls a day and PLATFORM_COST_USD_PER_MONTH a month.
 */
async function buildControl(): Promise<CostControl> {
  const env = process.env;
  const memory = memoryStore();
  let store: BudgetStore = memory;
  let ledger: LedgerStore = memory;
  if (env.PLATFORM_COST_REDIS_URL) {
    const { Redis } = await import('ioredis');
    const { redisBudgetStore } = await import('@platform/cost/redis');
    const redis = new Redis(env.PLATFORM_COST_REDIS_URL, { maxRetriesPerRequest: 1 });
    // no "Unhandled error event" stack per reconnect: admissions log store failures themselves
    redis.on('error', () => {});
    store = redisBudgetStore({ client: redis, prefix: env.PLATFORM_COST_REDIS_PREFIX ?? 'cost:' });
    onShutdown(() => redis.quit().then(() => undefined), { name: 'cost-redis' });
  }
  if (env.PLATFORM_COST_DATABASE_URL) {
    const pg = await import('pg');
    const { postgresLedger } = await import('@platform/cost/postgres');
    const pool = new pg.default.Pool({ connectionString: env.PLATFORM_COST_DATABASE_URL, max: 4 });
    // the ledger listens for the pool's errors (a cut connection never kills the process) and
    // queues usage records while PostgreSQL is away: ledgerStats() counts any loss
    const postgres = postgresLedger({ client: pool, schema: env.PLATFORM_COST_SCHEMA });
    await postgres.migrate();
    ledger = postgres;
    onShutdown(() => pool.end(), { name: 'cost-postgres' });
  }
  return costControl({
    store,
    ledger,
    budgets: {
      default: {
        timeZone: env.PLATFORM_COST_TIME_ZONE ?? 'UTC',
        limits: [
          { metric: 'calls', period: 'day', max: Number(env.PLATFORM_COST_CALLS_PER_DAY ?? 1000) },
          { metric: 'money', period: 'month', max: env.PLATFORM_COST_USD_PER_MONTH ?? '50.00' },
        ],
      },
    },
    alerts: { onAlert: (a) => console.log(JSON.stringify({ msg: 'cost alert', ...a })) },
  });
}

function view(r: UsageRecord) {
  return { ...r, costNanoUsd: r.costNanoUsd.toString() };
}

/** POST /api/ai/chat through the cost-controlled AI client; /api/cost/* dashboard and billing API. */
export async function costFeature(_env: FeatureEnv): Promise<AppFeature> {
  const control = await buildControl();
  const ai = withCostControl(fakeAiClient(process.env.FAKE_AI_URL), control);
  const handlers = costHandlers({
    control,
    isAdmin: () => getContext()?.actor?.roles.includes('admin') ?? false,
    pdf: reportToPdf, // format=pdf reports (needs pdf-lib)
  });
  return {
    name: 'cost',
    console: { cost: handlers },
    async routes(app) {
      app.post('/api/ai/chat', async (req) => {
        const input = chatSchema.parse(req.body);
        const reply = await ai.chat.completions.create({
          model: input.model,
          messages: [{ role: 'user', content: input.prompt }],
          max_tokens: input.maxTokens,
        });
        return {
          requestId: getContext()?.requestId,
          model: reply.model,
          reply: reply.choices[0]?.message.content,
          usage: reply.usage,
        };
      });
      app.get<{ Querystring: { requestId?: string } }>('/api/ai/usage', async (req) => {
        const tenant = getContext()?.tenantId ?? 'default';
        const requestId = typeof req.query.requestId === 'string' ? req.query.requestId : undefined;
        const records = await control.ledger.records({ tenant, requestId, limit: 50 });
        return { records: records.map(view) };
      });
      await app.register(costApi, { handlers });
    },
  };
}
