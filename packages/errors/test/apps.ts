import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import { withRequestContext } from '@platform/core/next';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { Hono } from 'hono';
import { errorHandler as expressErrors, notFoundHandler } from '../src/express.js';
import {
  errorHandler as fastifyErrors,
  frameworkErrors as fastifyFrameworkErrors,
} from '../src/fastify.js';
import { errorHandler as honoErrors, notFoundHandler as honoNotFound } from '../src/hono.js';
import type { ErrorResponderOptions } from '../src/index.js';
import { withErrorHandling } from '../src/next.js';
import { baseUrl, type Scenarios } from './support.js';

export async function expressApp(
  scenarios: Scenarios,
  options: ErrorResponderOptions,
): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(expressContext());
  app.use(express.json({ limit: '100b' }));
  app.get('/boom/:scenario', async (req) => {
    await scenarios[req.params.scenario]?.();
  });
  app.post('/echo', (req, res) => {
    res.json(req.body);
  });
  app.get('/late', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
    throw new Error('after headers');
  });
  app.use(notFoundHandler());
  app.use(expressErrors(options));
  const server = app.listen(0, '127.0.0.1');
  return { url: await baseUrl(server), server };
}

export async function fastifyApp(
  scenarios: Scenarios,
  options: ErrorResponderOptions,
): Promise<{ url: string; app: FastifyInstance }> {
  const app = Fastify({ bodyLimit: 100, frameworkErrors: fastifyFrameworkErrors(options) });
  await app.register(fastifyContext);
  await app.register(fastifyErrors, options);
  app.get<{ Params: { scenario: string } }>('/boom/:scenario', async (req) => {
    await scenarios[req.params.scenario]?.();
    return {};
  });
  app.post(
    '/orders',
    {
      schema: {
        body: {
          type: 'object',
          required: ['sku'],
          properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
        },
      },
    },
    async (req) => req.body,
  );
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, app };
}

export function nextRoute(scenarios: Scenarios, options: ErrorResponderOptions) {
  return withRequestContext(
    withErrorHandling(async (request: Request) => {
      const scenario = new URL(request.url).pathname.split('/').pop() ?? '';
      await scenarios[scenario]?.();
      return Response.json({});
    }, options),
    { route: '/boom/[scenario]' },
  );
}

/** A Hono app on @hono/node-server, each request inside core's request context. */
export async function honoApp(
  scenarios: Scenarios,
  options: ErrorResponderOptions,
): Promise<{ url: string; server: ServerType }> {
  const app = new Hono();
  app.get('/boom/:scenario', async (c) => {
    await scenarios[c.req.param('scenario')]?.();
    return c.json({});
  });
  app.notFound(honoNotFound(options));
  app.onError(honoErrors(options));
  const fetch = withRequestContext((request: Request) => app.fetch(request), {
    route: '/boom/:scenario',
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
