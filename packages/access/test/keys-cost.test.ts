import { requestContext } from '@platform/core/express';
import { costControl, guard, memoryStore } from '@platform/cost';
import { QuotaExceededError } from '@platform/errors';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyAuth } from '../src/express.js';
import { apiKeys, memoryKeyStore } from '../src/index.js';
import { capturingLogger, listening } from './keys-http-support.js';

// An OpenAI-shaped response: the provider call itself is not what is tested.
const response = { usage: { prompt_tokens: 120, completion_tokens: 80 } };

describe('API keys as the cost subject', () => {
  const keys = apiKeys({ store: memoryKeyStore(), shutdown: false });
  const control = costControl({
    store: memoryStore({ maxRecords: 1000 }),
    // 2 calls a day per API key (scope apiKey), plenty for the tenant
    budgets: {
      default: {
        limits: [
          { metric: 'calls', period: 'day', max: 2, scope: 'apiKey' },
          { metric: 'calls', period: 'day', max: 1000 },
        ],
      },
    },
    logger: capturingLogger(),
    shutdown: false,
  });
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    const app = express();
    app.use(requestContext());
    app.use(apiKeyAuth({ keys, logger: capturingLogger() }));
    // no tenant, user or key passed to guard(): it reads them from the request context
    app.post('/ai', async (_req, res) => {
      try {
        await guard(
          control,
          { model: 'gpt-4o-mini', inputTokens: 120, maxOutputTokens: 80 },
          async () => response,
        );
        res.json({ ok: true });
      } catch (err) {
        res.status(err instanceof QuotaExceededError ? 429 : 500).json({ error: String(err) });
      }
    });
    const server = app.listen(0, '127.0.0.1');
    url = await listening(server);
    close = () => server.close();
  });
  afterAll(async () => {
    close();
    await control.close();
    await keys.close();
  });

  it("records usage under the key's tenant and id, and applies the per-key budget", async () => {
    const a = await keys.create({ name: 'etl', tenantId: 'acme' });
    const b = await keys.create({ name: 'bot', tenantId: 'acme' });
    const ai = (key: string) =>
      fetch(`${url}/ai`, { method: 'POST', headers: { 'x-api-key': key } });
    expect((await ai(a.key)).status).toBe(200);
    expect((await ai(a.key)).status).toBe(200);
    expect((await ai(a.key)).status).toBe(429);
    expect((await ai(b.key)).status).toBe(200);
    await control.flush();
    const records = await control.ledger.records({ tenant: 'acme' });
    expect(records).toHaveLength(3);
    const by = records.map((r) => `${r.tenant}/${r.user}/${r.apiKey}`).sort();
    expect(by).toEqual(
      [
        `acme/${a.info.id}/${a.info.id}`,
        `acme/${a.info.id}/${a.info.id}`,
        `acme/${b.info.id}/${b.info.id}`,
      ].sort(),
    );
    expect(records.every((r) => r.usage.inputTokens === 120)).toBe(true);
  });
});
