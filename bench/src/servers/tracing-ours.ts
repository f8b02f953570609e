import { once } from 'node:events';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import { createLogger, initTracing, logDestination } from '@platform/tracing';
import { tracing as expressTracing } from '@platform/tracing/express';
import { tracing as fastifyTracing } from '@platform/tracing/fastify';
import express from 'express';
import Fastify from 'fastify';
import type { StartServer } from '../suite.js';
import { item } from './item.js';
import { CountingExporter, SPANS_PATH } from './tracing-common.js';

/** Tracing with spans to a counting exporter and the request log to /dev/null. */
export function tracingSetup(ratio: number, keepErrors = true, logSample = 1) {
  const exporter = new CountingExporter();
  initTracing({
    serviceName: 'bench',
    exporter,
    sampleRatio: ratio,
    keepErrors,
    shutdown: false,
  });
  // createLogger's own default destination (batched async writes), pointed at /dev/null
  const logger = createLogger({
    module: 'http',
    destination: logDestination({ dest: '/dev/null' }),
  });
  return { exporter, logger, requestLog: { sampleRate: logSample } };
}

/** Express 5 + @platform/core requestContext + @platform/tracing (SERVER span + request log line). */
export function oursExpress(ratio: number, keepErrors = true, logSample = 1): StartServer {
  return async () => {
    const { exporter, logger, requestLog } = tracingSetup(ratio, keepErrors, logSample);
    const app = express();
    app.use(expressContext());
    app.use(expressTracing({ logger, requestLog }));
    app.get('/api/items/:id', (req, res) => {
      res.json(item(req.params.id));
    });
    app.get(SPANS_PATH, (_req, res) => {
      res.json({ exported: exporter.count });
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
  };
}

/** Fastify 5 + @platform/core requestContext + @platform/tracing plugin. */
export function oursFastify(ratio: number, keepErrors = true, logSample = 1): StartServer {
  return async () => {
    const { exporter, logger, requestLog } = tracingSetup(ratio, keepErrors, logSample);
    const app = Fastify();
    await app.register(fastifyContext);
    await app.register(fastifyTracing, { logger, requestLog });
    app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
    app.get(SPANS_PATH, async () => ({ exported: exporter.count }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    return app.server;
  };
}
