import type { AddressInfo } from 'node:net';
import { requestContext } from '@platform/core/express';
import { securityHeaders } from '@platform/headers/express';
import { metricsMiddleware } from '@platform/metrics/express';
import { initTracing, traced } from '@platform/tracing';
import { tracing } from '@platform/tracing/express';
import express from 'express';
import { adminRouter } from '../../src/express.js';
import { stack } from '../support.js';

/**
 * The host app of the browser test: @platform's request context and `html` security headers
 * in front of everything, the console at `/admin` over real packages, and a route gated by
 * the `newCheckout` flag.
 */
export async function startApp() {
  const s = await stack();
  // real spans into the inspector, for the request waterfall
  const spans = initTracing({
    exporter: 'none',
    sampleRatio: 1,
    spanProcessors: [s.inspector.spanProcessor],
    shutdown: false,
  });
  const app = express();
  app.use(requestContext());
  app.use(tracing());
  app.use(metricsMiddleware(s.telemetry));
  app.use(securityHeaders());
  app.use(express.json());
  app.get('/checkout', async (_req, res) => {
    const checkout = await traced('checkout.decide', async () =>
      s.flags.isEnabled('newCheckout') ? 'new' : 'old',
    );
    s.log.info(`checkout served: ${checkout}`);
    res.json({ checkout });
  });
  // An AI call through the cost control: admitted against the budget, settled with usage.
  app.post('/ai/:tenant', async (req, res) => {
    const call = await s.control.admit({
      tenant: req.params.tenant,
      model: 'gpt-4o-mini',
      inputTokens: 1200,
      maxOutputTokens: 300,
    });
    const usage = { inputTokens: 1000, outputTokens: 250 };
    await call.settle({
      usage: { cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, ...usage },
    });
    res.json({ model: call.model });
  });
  app.use('/admin', adminRouter(s.console));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...s,
    origin,
    async stop() {
      await new Promise<void>((r) => server.close(() => r()));
      await s.close();
      await spans.shutdown();
    },
  };
}
