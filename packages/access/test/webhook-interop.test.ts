import type { Server } from 'node:http';
import { costControl, guard } from '@platform/cost';
import express from 'express';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../src/express.js';
import { timestampedScheme, webhookVerifier } from '../src/index.js';
import { urlOf } from './webhook-support.js';

// @platform/cost signs its alert webhooks with core's signer (X-Cost-Signature: t=..,v1=..);
// @platform/access verifies them with the timestamped scheme: both ends on real servers.
const secret = 'a-webhook-secret-of-some-length';
const servers: Server[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

async function receiver(receiverSecret: string) {
  const received: unknown[] = [];
  const refused: unknown[] = [];
  const app = express();
  const verifier = webhookVerifier({
    scheme: timestampedScheme('x-cost-signature'),
    secrets: receiverSecret,
  });
  app.post(
    '/hooks/cost',
    (_req, res, next) => {
      res.on('finish', () => {
        if (res.statusCode !== 204) refused.push(res.statusCode);
      });
      next();
    },
    verifyWebhook(verifier),
    (req, res) => {
      received.push({ id: res.locals.webhook.id, payload: req.body });
      res.sendStatus(204);
    },
  );
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return { url: urlOf(server, '/hooks/cost'), received, refused };
}

async function crossThresholds(url: string) {
  const logged: { code?: string }[] = [];
  const control = costControl({
    budgets: { default: { limits: [{ metric: 'calls', period: 'day', max: 2 }] } },
    alerts: { thresholds: [50, 100], webhook: { url, secret } },
    logger: {
      info: (o: object) => void logged.push(o),
      warn: (o: object) => void logged.push(o),
      error: (o: object) => void logged.push(o),
    },
  });
  const call = () =>
    guard(
      control,
      { tenant: 'acme', model: 'gpt-4o-mini', inputTokens: 1, maxOutputTokens: 1 },
      async () => ({}),
    );
  await call();
  await call();
  await control.flush();
  await control.close();
  return logged;
}

describe('cost alert webhooks verified by @platform/access', () => {
  it('accepts every alert cost sends, parsed', async () => {
    const hook = await receiver(secret);
    await crossThresholds(hook.url);
    expect(hook.refused).toEqual([]);
    expect(hook.received).toHaveLength(2);
    for (const r of hook.received) {
      expect(r).toMatchObject({
        payload: { type: 'cost.alert', data: { tenant: 'acme', metric: 'calls' } },
      });
    }
  });

  it('a receiver with another secret refuses them with 401, and cost logs the refusal', async () => {
    const hook = await receiver('another-secret-of-some-length');
    const logged = await crossThresholds(hook.url);
    expect(hook.received).toEqual([]);
    expect(hook.refused).toEqual([401, 401]);
    expect(logged.filter((l) => l.code === 'COST_ALERT_WEBHOOK_FAILED')).toHaveLength(2);
  });
});
