import { once } from 'node:events';
import { auditTrail, memoryStore } from '@platform/audit';
import { auditRequests as expressAudit } from '@platform/audit/express';
import { auditRequests as fastifyAudit } from '@platform/audit/fastify';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import { errorHandler as expressErrors, notFoundHandler } from '@platform/errors/express';
import { errorHandler as fastifyErrors } from '@platform/errors/fastify';
import { expressFlags } from '@platform/flags/express';
import { fastifyFlags, flagsOf } from '@platform/flags/fastify';
import { securityHeaders as expressHeaders } from '@platform/headers/express';
import { securityHeaders as fastifyHeaders } from '@platform/headers/fastify';
import { metrics } from '@platform/metrics';
import { metricsRoute as expressMetricsRoute, metricsMiddleware } from '@platform/metrics/express';
import { metricsRoute as fastifyMetricsRoute, metricsPlugin } from '@platform/metrics/fastify';
import { rateLimit as expressRateLimit } from '@platform/ratelimit/express';
import { rateLimit as fastifyRateLimit } from '@platform/ratelimit/fastify';
import { createLogger, logDestination } from '@platform/tracing';
import { tracing as expressTracing, tracingErrors } from '@platform/tracing/express';
import { tracing as fastifyTracing } from '@platform/tracing/fastify';
import express from 'express';
import Fastify from 'fastify';
import type { StartServer } from '../suite.js';
import { benchFlags, type ChainStats, chainParts, FLAG, STATS_PATH } from './fullstack-common.js';
import { item } from './item.js';
import { defaultLimiter } from './ratelimit-options.js';
import { tracingSetup } from './tracing-ours.js';

/**
 * Every @platform package that acts on a request, each with its README defaults, built once
 * per process; the part named in BENCH_FULLSTACK_DROP is left out (undefined).
 */
async function platform(ratio: number) {
  const parts = chainParts();
  const tracer = parts.has('tracing') ? tracingSetup(ratio) : undefined;
  // the process-wide logger either way, so the audit copies and deny lines go to /dev/null too
  if (!tracer) createLogger({ module: 'http', destination: logDestination({ dest: '/dev/null' }) });
  const trail = parts.has('audit')
    ? auditTrail({ store: memoryStore(), shutdown: false })
    : undefined;
  const counts = { flagChecks: 0 };
  return {
    parts,
    tracer,
    telemetry: parts.has('metrics') ? metrics({ shutdown: false }) : undefined,
    limiter: parts.has('ratelimit') ? defaultLimiter() : undefined,
    flags: parts.has('flags') ? await benchFlags() : undefined,
    trail,
    counts,
    stats: (): ChainStats => ({
      spans: tracer?.exporter.count ?? 0,
      audited: trail?.stats().recorded ?? 0,
      flagChecks: counts.flagChecks,
    }),
  };
}

/** Express 5 in the order of docs/composing-a-chain.md, metrics right after tracing. */
export function oursExpress(ratio: number): StartServer {
  return async () => {
    const p = await platform(ratio);
    const app = express();
    app.use(expressContext());
    if (p.tracer) app.use(expressTracing({ logger: p.tracer.logger }));
    if (p.telemetry) app.use(metricsMiddleware(p.telemetry));
    if (p.parts.has('headers')) app.use(expressHeaders());
    if (p.trail) app.use(expressAudit(p.trail));
    if (p.limiter) app.use(expressRateLimit(p.limiter));
    const reqFlags = p.flags && expressFlags(p.flags);
    if (reqFlags) app.use(reqFlags.middleware);

    app.get('/api/items/:id', (req, res) => {
      if (reqFlags?.of(req).isEnabled(FLAG)) p.counts.flagChecks++;
      res.json(item(req.params.id));
    });
    app.post('/api/items/:id', (req, res) => {
      res.json(item(req.params.id));
    });
    if (p.telemetry) app.get('/metrics', expressMetricsRoute(p.telemetry));
    app.get(STATS_PATH, (_req, res) => {
      res.json(p.stats());
    });

    if (p.parts.has('errors')) app.use(notFoundHandler());
    if (p.tracer) app.use(tracingErrors());
    if (p.parts.has('errors')) app.use(expressErrors());
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
  };
}

/** Fastify 5 in the order of docs/composing-a-chain.md, metrics right after tracing. */
export function oursFastify(ratio: number): StartServer {
  return async () => {
    const p = await platform(ratio);
    const app = Fastify();
    await app.register(fastifyContext);
    if (p.parts.has('errors')) await app.register(fastifyErrors);
    if (p.tracer) await app.register(fastifyTracing, { logger: p.tracer.logger });
    if (p.telemetry) await app.register(metricsPlugin, { metrics: p.telemetry });
    if (p.parts.has('headers')) await app.register(fastifyHeaders);
    if (p.trail) await app.register(fastifyAudit, { trail: p.trail });
    if (p.limiter) await app.register(fastifyRateLimit, { limiters: p.limiter });
    const flags = p.flags;
    if (flags) await app.register(fastifyFlags, { flags });

    app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => {
      if (flags && flagsOf(req, flags).isEnabled(FLAG)) p.counts.flagChecks++;
      return item(req.params.id);
    });
    app.post<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
    if (p.telemetry) app.get('/metrics', fastifyMetricsRoute(p.telemetry));
    app.get(STATS_PATH, async () => p.stats());
    await app.listen({ host: '127.0.0.1', port: 0 });
    return app.server;
  };
}
