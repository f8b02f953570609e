import type { AddressInfo } from 'node:net';
import { setActor, setTenant } from '@platform/core';
import { requestContext as expressContext } from '@platform/core/express';
import { requestContext as fastifyContext } from '@platform/core/fastify';
import { withRequestContext } from '@platform/core/next';
import { errorHandler as expressErrors } from '@platform/errors/express';
import { errorHandler as fastifyErrors } from '@platform/errors/fastify';
import { withErrorHandling } from '@platform/errors/next';
import express from 'express';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costApi as expressApi } from '../src/express.js';
import { costApi as fastifyApi } from '../src/fastify.js';
import { costControl, costHandlers, guard, memoryStore } from '../src/index.js';
import { costRoute } from '../src/next.js';
import { reportToPdf } from '../src/pdf.js';

const clock = () => Date.parse('2026-11-20T12:00:00Z');
const store = memoryStore();
const control = costControl({
  clock,
  store,
  budgets: {
    default: {
      limits: [
        { metric: 'money', period: 'month', max: '2.00' },
        { metric: 'calls', period: 'day', max: 100 },
      ],
    },
  },
});
const admin = () => ['admin'];
let roles: () => string[] = () => [];
const handlers = costHandlers({
  control,
  clock,
  isAdmin: () => roles().includes('admin'),
  pdf: reportToPdf,
});
// Mounted under /api/lite: what an app gets without pdf-lib.
const lite = costHandlers({ control, clock });

function auth(get: (n: string) => string | undefined) {
  const tenant = get('x-tenant-id');
  if (tenant) setTenant(tenant);
  const user = get('x-user-id');
  if (user)
    setActor({
      type: 'user',
      id: user,
      roles: (get('x-user-role') ?? '').split(',').filter(Boolean),
    });
}

beforeAll(async () => {
  for (const [tenant, n] of [
    ['acme', 3],
    ['globex', 2],
  ] as const) {
    for (let i = 0; i < n; i++) {
      await guard(
        control,
        { tenant, user: `u${i}`, model: 'gpt-4o-mini', inputTokens: 10, maxOutputTokens: 10 },
        async () => ({
          usage: { prompt_tokens: 1000, completion_tokens: 500 },
        }),
      );
    }
  }
});

type Get = (path: string, headers?: Record<string, string>) => Promise<Response>;
// biome-ignore lint/suspicious/noExplicitAny: test bodies are checked by the assertions
type Json = any;
const read = (res: Response): Promise<Json> => res.json();

function suite(name: string, get: () => Get) {
  describe(`${name} binding`, () => {
    it('budget status of the caller tenant, with money in USD', async () => {
      const res = await get()('/api/cost/budget', { 'x-tenant-id': 'acme', 'x-user-id': 'u1' });
      expect(res.status).toBe(200);
      const body = await read(res);
      expect(body.tenant).toBe('acme');
      expect(body.limits[0]).toMatchObject({
        metric: 'money',
        period: 'month',
        used: 1_350_000,
        usedUsd: '0.001350',
        maxUsd: '2.000000',
        resetAt: '2026-12-01T00:00:00.000Z',
      });
      expect(body.limits[1]).toMatchObject({ metric: 'calls', used: 3, remaining: 97 });
    });

    it('usage summary and timeseries', async () => {
      const usage = await read(await get()('/api/cost/usage', { 'x-tenant-id': 'acme' }));
      expect(usage.totals).toMatchObject({ calls: 3, costNanoUsd: '1350000' });
      expect(usage.byUser.map((r: { user: string }) => r.user)).toEqual(['u0', 'u1', 'u2']);
      const ts = await read(
        await get()('/api/cost/timeseries?from=2026-11-19&to=2026-11-21', {
          'x-tenant-id': 'acme',
        }),
      );
      expect(ts.points.map((p: { calls: number }) => p.calls)).toEqual([0, 3, 0]);
    });

    it('another tenant is forbidden; bad queries are 400 problem+json', async () => {
      const res = await get()('/api/cost/usage?tenant=globex', { 'x-tenant-id': 'acme' });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const bad = await get()('/api/cost/usage?from=yesterday', { 'x-tenant-id': 'acme' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('from');
    });

    it('billing: admins only, period totals per tenant, the same bytes every time', async () => {
      expect(
        (await get()('/api/cost/billing?period=2026-11', { 'x-tenant-id': 'acme' })).status,
      ).toBe(403);
      roles = admin;
      try {
        const a = await get()('/api/cost/billing?period=2026-11', { 'x-tenant-id': 'acme' });
        const b = await get()('/api/cost/billing?period=2026-11', { 'x-tenant-id': 'acme' });
        const text = await a.text();
        expect(await b.text()).toBe(text);
        expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
        const body = JSON.parse(text);
        expect(body).toMatchObject({
          period: '2026-11',
          from: '2026-11-01',
          to: '2026-11-30',
          currency: 'USD',
        });
        expect(
          body.tenants.map((t: { tenant: string; costNanoUsd: string }) => [
            t.tenant,
            t.costNanoUsd,
          ]),
        ).toEqual([
          ['acme', '1350000'],
          ['globex', '900000'],
        ]);
      } finally {
        roles = () => [];
      }
    });

    it('report export as CSV and PDF', async () => {
      const csv = await get()('/api/cost/report?format=csv&from=2026-11-01&to=2026-11-30', {
        'x-tenant-id': 'acme',
      });
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect((await csv.text()).split('\r\n').at(-2)).toBe(
        'TOTAL,,,,3,3000,0,0,1500,0,4500,1350000,0.001350',
      );
      const pdf = await get()('/api/cost/report?format=pdf&granularity=month', {
        'x-tenant-id': 'acme',
      });
      expect(pdf.headers.get('content-type')).toBe('application/pdf');
      expect(
        Buffer.from(await pdf.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    });

    it('without a PDF renderer, format=pdf is a 406 problem naming the missing piece', async () => {
      const res = await get()('/api/lite/report?format=pdf', { 'x-tenant-id': 'acme' });
      expect(res.status).toBe(406);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const body = await read(res);
      expect(body).toMatchObject({
        status: 406,
        code: 'report_format_unavailable',
        formats: ['json', 'csv'],
      });
      expect(body.detail).toContain('@platform/cost/pdf');
      expect(body.detail).toContain('pdf-lib');
      // The caller's scope is still checked first, and the other formats still answer.
      const other = await get()('/api/lite/report?format=pdf&tenant=globex', {
        'x-tenant-id': 'acme',
      });
      expect(other.status).toBe(403);
      const csv = await get()('/api/lite/report?format=csv', { 'x-tenant-id': 'acme' });
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
    });
  });
}

it('costHandlers refuses a pdf option that is not a renderer function', () => {
  expect(() =>
    costHandlers({ control, pdf: { reportToPdf } as unknown as typeof reportToPdf }),
  ).toThrow(/pdf: must be a function such as reportToPdf from @platform\/cost\/pdf/);
});

let expressUrl = '';
let expressServer: ReturnType<ReturnType<typeof express>['listen']>;
const fastify = Fastify();

beforeAll(async () => {
  const app = express();
  app.use(expressContext());
  app.use((req, _res, next) => {
    auth((n) => req.get(n));
    next();
  });
  app.use(expressApi(handlers));
  app.use(expressApi(lite, { prefix: '/api/lite' }));
  app.use(expressErrors());
  await new Promise<void>((r) => {
    expressServer = app.listen(0, '127.0.0.1', () => r());
  });
  expressUrl = `http://127.0.0.1:${(expressServer.address() as AddressInfo).port}`;

  await fastify.register(fastifyContext);
  fastify.addHook('onRequest', async (req) => {
    auth((n) => req.headers[n] as string | undefined);
  });
  await fastify.register(fastifyErrors);
  await fastify.register(fastifyApi, { handlers });
  await fastify.register(fastifyApi, { handlers: lite, prefix: '/api/lite' });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await new Promise((r) => expressServer.close(r));
  await fastify.close();
});

suite('Express', () => (path, headers) => fetch(`${expressUrl}${path}`, { headers }));
suite('Fastify', () => (path, headers) =>
  fetch(`http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}${path}`, { headers }));

const nextRoutes = (prefix: string, mounted: typeof handlers) =>
  Object.fromEntries(
    (['usage', 'timeseries', 'report', 'budget', 'billing'] as const).map((name) => [
      `${prefix}/${name}`,
      withRequestContext(
        (request: Request) => {
          auth((n) => request.headers.get(n) ?? undefined);
          return withErrorHandling(costRoute(mounted, name))(request);
        },
        { route: `${prefix}/${name}` },
      ),
    ]),
  );
const routes = { ...nextRoutes('/api/cost', handlers), ...nextRoutes('/api/lite', lite) };
suite('Next', () => async (path, headers) => {
  const route = routes[path.split('?')[0] as string] as (r: Request) => Promise<Response>;
  return route(new Request(`http://localhost${path}`, { headers }));
});
