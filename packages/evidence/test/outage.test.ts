import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTrail } from '@platform/audit';
import { postgresStore } from '@platform/audit/postgres';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TcpProxy } from '../../../test/support/tcp-proxy.js';
import { platformCollectors } from '../src/collectors/platform.js';
import { evidencePack, verifyPack } from '../src/pack/generate.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `evidence_outage_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const direct = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
const proxy = new TcpProxy(Number(new URL(DATABASE_URL).port || 5432));
let viaProxy: pg.Pool;

beforeAll(async () => {
  await proxy.start();
  const url = new URL(DATABASE_URL);
  url.port = String(proxy.port);
  viaProxy = new pg.Pool({
    connectionString: url.toString(),
    max: 2,
    connectionTimeoutMillis: 1000,
  });
  viaProxy.on('error', () => undefined);
  await postgresStore({ client: direct, schema }).migrate();
});
afterAll(async () => {
  await proxy.stop();
  await viaProxy.end();
  await direct.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await direct.end();
});

it('writes a verifiable pack when PostgreSQL goes away, the audit evidence recorded as failed', async () => {
  const trail = auditTrail({
    store: postgresStore({ client: viaProxy, schema }),
    log: false,
    shutdown: false,
  });
  trail.record({ action: 'api_key.create', tenantId: 'demo' });
  await trail.flush();
  await proxy.stop();
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const started = Date.now();
  const pack = await evidencePack({
    period: { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) },
    tenant: 'demo',
    collectors: platformCollectors({ audit: trail, rateLimits: { api: { limit: 10 } } }),
    signingKey: privateKey,
    collectorTimeoutMs: 3_000,
    out: join(mkdtempSync(join(tmpdir(), 'evidence-outage-')), 'pack.tar.gz'),
  });
  expect(Date.now() - started).toBeLessThan(30_000);
  const chain = pack.collectors.find((c) => c.id === 'audit-chain');
  expect(chain?.status).toBe('failed');
  expect(chain?.reason).toMatch(/ECONNREFUSED|connect|terminated|timeout/i);
  const cc72 = pack.controls.find((c) => c.controlId === 'CC7.2');
  expect(cc72?.status).toBe('partial'); // rate limits still collected
  expect(cc72?.notes[0]).toMatch(/^audit-chain: failed \(/);
  expect((await verifyPack(pack.path, publicKey)).ok).toBe(true);
  await proxy.start();
  await trail.close(1000);
}, 60_000);

it('bounds a collector whose database hangs by collectorTimeoutMs', async () => {
  const trail = auditTrail({
    store: postgresStore({ client: viaProxy, schema }),
    log: false,
    shutdown: false,
  });
  proxy.delayMs = 20_000; // every byte held: PostgreSQL accepts and never answers in time
  const { privateKey } = generateKeyPairSync('ed25519');
  const started = Date.now();
  const pack = await evidencePack({
    period: { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) },
    tenant: 'demo',
    collectors: platformCollectors({ audit: trail }).filter((c) => c.id === 'audit-chain'),
    signingKey: privateKey,
    pdf: false,
    collectorTimeoutMs: 1_000,
    out: join(mkdtempSync(join(tmpdir(), 'evidence-hang-')), 'pack'),
  });
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(pack.collectors[0]).toMatchObject({ status: 'failed', reason: 'timed out after 1000 ms' });
  proxy.delayMs = 0;
  await trail.close(500);
}, 60_000);
