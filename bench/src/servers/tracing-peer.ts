import { once } from 'node:events';
import { createRequire } from 'node:module';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import type { Express } from 'express';
import type { StartServer } from '../suite.js';
import { item } from './item.js';
import { CountingExporter, nullDestination, SPANS_PATH } from './tracing-common.js';

// express, fastify and pino-http are loaded with require() AFTER the instrumentations
// are registered: OpenTelemetry patches modules as they are required.
const require = createRequire(import.meta.url);

/** A registered NodeTracerProvider sampling `ratio` of new traces into a counting exporter. */
function otelProvider(ratio: number) {
  const exporter = new CountingExporter();
  const tracerProvider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'bench' }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  tracerProvider.register();
  return exporter;
}

/**
 * OpenTelemetry's Express setup: the provider, the http + express instrumentations, then an
 * instrumented Express app logging each request through pino-http to /dev/null.
 */
export function otelExpress(ratio: number): { exporter: CountingExporter; app: Express } {
  const exporter = otelProvider(ratio);
  registerInstrumentations({
    instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
  });
  const express = require('express') as typeof import('express');
  const pinoHttp = require('pino-http') as typeof import('pino-http').default;
  const app = express();
  app.use(pinoHttp({ stream: nullDestination() }));
  return { exporter, app };
}

/**
 * OpenTelemetry's Fastify setup: the provider, the http instrumentation, then a Fastify app
 * with its logger to /dev/null and @fastify/otel registered first.
 */
export async function otelFastify(ratio: number) {
  const exporter = otelProvider(ratio);
  registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });
  const FastifyOtel = require('@fastify/otel') as typeof import('@fastify/otel').default;
  const Fastify = require('fastify') as typeof import('fastify').default;
  const app = Fastify({ logger: { level: 'info', stream: nullDestination() } });
  await app.register(new FastifyOtel().plugin());
  return { exporter, app };
}

/** The OpenTelemetry way on Express: http + express instrumentations, pino-http. */
export function peerExpress(ratio: number): StartServer {
  return async () => {
    const { exporter, app } = otelExpress(ratio);
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

/** The OpenTelemetry way on Fastify: http instrumentation + @fastify/otel, Fastify's logger. */
export function peerFastify(ratio: number): StartServer {
  return async () => {
    const { exporter, app } = await otelFastify(ratio);
    app.get<{ Params: { id: string } }>('/api/items/:id', async (req) => item(req.params.id));
    app.get(SPANS_PATH, async () => ({ exported: exporter.count }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    return app.server;
  };
}
