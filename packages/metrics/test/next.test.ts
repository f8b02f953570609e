import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { setTrace } from '@platform/core';
import { withRequestContext } from '@platform/core/next';
import { afterEach, describe, it } from 'vitest';
import { metrics, type PlatformMetrics } from '../src/index.js';
import { metricsRoute, summaryRoute, withMetrics } from '../src/next.js';
import { checkOff, checkRed, listening, SPAN, TRACE } from './support.js';

let server: Server | undefined;
let telemetry: PlatformMetrics | undefined;
afterEach(async () => {
  server?.close();
  await telemetry?.close();
});

const context = {
  resolveTenant: (ex: { header(n: string): string | undefined }) => ex.header('x-tenant'),
};

/** The route handlers an App Router app would export, served over real HTTP by path. */
function serve(m: PlatformMetrics) {
  const traced = (handler: () => Response) => () => {
    setTrace(TRACE, SPAN);
    return handler();
  };
  const items = withRequestContext(
    withMetrics(
      traced(() => Response.json({ ok: true })),
      m,
    ),
    { ...context, route: '/api/items/[id]' },
  );
  const boom = withRequestContext(
    withMetrics(() => {
      throw new Error('boom');
    }, m),
    { ...context, route: '/api/boom' },
  );
  const notFound = withRequestContext(
    withMetrics(() => new Response(null, { status: 404 }), m),
    context,
  );
  const scrape = metricsRoute(m);
  const summary = summaryRoute(m);
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === '/metrics') return scrape(request);
    if (path === '/admin/metrics/summary') return summary(request);
    if (path.startsWith('/api/items/')) return items(request);
    if (path === '/api/boom') return boom(request).catch(() => new Response(null, { status: 500 }));
    return notFound(request);
  };
  server = createAdaptorServer({ fetch }) as Server;
  server.listen(0, '127.0.0.1');
  return listening(server);
}

describe('Next withMetrics', () => {
  it('records RED per route template, tenant and status; /metrics negotiates; the summary answers', async () => {
    telemetry = metrics({ defaultMetrics: false, shutdown: false });
    await checkRed(await serve(telemetry), '/api/items/[id]');
  });

  it('switched off: the handler itself, /metrics 404', async () => {
    telemetry = metrics({ enabled: false });
    await checkOff(await serve(telemetry));
  });
});
