import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { webhookAnchor } from './anchor.js';
import type { Checkpoint } from './chain.js';
import { memoryStore } from './stores/memory.js';
import { auditTrail } from './trail.js';

const received: Checkpoint[] = [];
let status = 204;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (status < 300) received.push(JSON.parse(body) as Checkpoint);
    res.statusCode = status;
    res.end();
  });
});
let url = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/checkpoints`;
});
afterAll(() => new Promise((r) => server.close(r)));

it('posts each checkpoint to a webhook, verifies against what it reads back, and reports a refusal', async () => {
  const store = memoryStore();
  const errors: string[] = [];
  const audit = auditTrail({
    store,
    log: false,
    shutdown: false,
    signing: { privateKey: generateKeyPairSync('ed25519').privateKey, keyId: 'hook' },
    queue: { batchSize: 5 },
    onError: (_e, where) => errors.push(where),
    checkpoint: {
      everyEvents: 10,
      anchor: webhookAnchor({ url, load: (t) => received.filter((c) => c.tenantId === t) }),
    },
  });
  for (let i = 0; i < 20; i++) audit.record({ action: 'x.update', tenantId: 'hooked' });
  await audit.flush();
  expect(received.map((c) => c.seq)).toEqual([10, 20]);
  // the store's two copies and the webhook's two are each compared with the chain
  expect(await audit.verify({ tenantId: 'hooked' })).toMatchObject({ ok: true, checkpoints: 4 });
  status = 503;
  for (let i = 0; i < 10; i++) audit.record({ action: 'x.update', tenantId: 'hooked' });
  await audit.flush();
  expect(errors).toContain('checkpoint');
  await audit.close();
});
