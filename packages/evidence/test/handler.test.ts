import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTrail, memoryStore } from '@platform/audit';
import { type NeutralHandler, nodeRequest, writeAnswer } from '@platform/core';
import { afterAll, describe, expect, it } from 'vitest';
import { platformCollectors } from '../src/collectors/platform.js';
import { type Collector, notCollected } from '../src/collectors/types.js';
import { verifyPack } from '../src/pack/generate.js';
import { evidenceHandler } from '../src/serve/handler.js';
import { evidenceSchedule } from '../src/serve/schedule.js';

const quiet = { error() {}, warn() {}, info() {}, debug() {} };
const dir = mkdtempSync(join(tmpdir(), 'evidence-http-'));
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const trail = auditTrail({ store: memoryStore(), log: false, shutdown: false });
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) s.close();
  await trail.close();
});

async function serve(handler: NeutralHandler): Promise<string> {
  const server = createServer(async (req, res) => {
    const answer = await handler(nodeRequest(req));
    await writeAnswer(res, answer ?? { status: 404, headers: {} });
  }).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/evidence`;
}

const body = { from: '2026-11-01T00:00:00Z', to: '2026-12-01T00:00:00Z', tenant: 'acme' };
const post = (url: string, value: unknown, token = 'admin') =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-token': token },
    body: typeof value === 'string' ? value : JSON.stringify(value),
  });

describe('evidenceHandler over HTTP', () => {
  it('generates a signed archive for an authorized POST and records it', async () => {
    const url = await serve(
      evidenceHandler({
        pack: { collectors: platformCollectors({ audit: trail }), signingKey: privateKey },
        authorize: ({ tenant, request }) =>
          request.header('x-token') === 'admin' && tenant === 'acme',
        audit: trail,
      }),
    );
    const res = await post(url, body);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/gzip');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="evidence-acme-2026-11-01-2026-12-01.tar.gz"',
    );
    const file = join(dir, 'from-http.tar.gz');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const verified = await verifyPack(file, publicKey);
    expect(verified).toMatchObject({ ok: true, problems: [] });
    expect(verified.manifest).toMatchObject({
      tenant: 'acme',
      period: { from: '2026-11-01T00:00:00.000Z' },
    });

    const refused = await post(url, body, 'intruder');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    await trail.flush();
    const events = (await trail.store.query({ action: 'evidence.pack.generate' })).events;
    expect(events.map((e) => [e.tenantId, e.outcome, e.reason])).toEqual([
      ['acme', 'failure', 'not authorized'],
      ['acme', 'success', undefined],
    ]);
    expect(events[1]?.metadata.manifestSha256).toBe(res.headers.get('x-evidence-manifest-sha256'));
  });

  it('answers problem+json for wrong methods and bad bodies, without generating', async () => {
    let calls = 0;
    const url = await serve(
      evidenceHandler({
        pack: () => {
          calls++;
          return { collectors: [], signingKey: privateKey };
        },
        authorize: () => true,
      }),
    );
    const get = await fetch(url);
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
    for (const bad of [
      '{nope',
      { from: body.to, to: body.from },
      { ...body, extra: 1 },
      { from: 'yesterday', to: body.to },
    ]) {
      const r = await post(url, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(((await r.json()) as { title: string }).title).toBe('Bad Request');
    }
    expect(calls).toBe(0);
  });

  it('refuses when authorize throws, generates one pack at a time, and hides errors in production', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow: Collector = {
      id: 'slow',
      title: 'slow',
      collect: async () => {
        await gate;
        return notCollected('test');
      },
    };
    const url = await serve(
      evidenceHandler({
        pack: { collectors: [slow], signingKey: privateKey },
        authorize: ({ tenant }) => tenant !== 'boom' || Promise.reject(new Error('x')),
        logger: quiet,
      }),
    );
    expect((await post(url, { ...body, tenant: 'boom' })).status).toBe(403);
    const first = post(url, body);
    await new Promise((r) => setTimeout(r, 200));
    const second = await post(url, body);
    expect([second.status, second.headers.get('retry-after')]).toEqual([503, '5']);
    release();
    expect((await first).status).toBe(200);

    const failing = await serve(
      evidenceHandler({
        pack: { collectors: [], signingKey: 'not a key' },
        authorize: () => true,
        production: true,
        logger: quiet,
      }),
    );
    const r = await post(failing, body);
    expect(r.status).toBe(500);
    expect(((await r.json()) as { detail: string }).detail).toBe(
      'The evidence pack could not be generated.',
    );
  });
});

describe('evidenceSchedule', () => {
  it('writes a verified pack per interval, never overlapping, and reports failures to onError', async () => {
    const outDir = join(dir, 'scheduled');
    const packs: string[] = [];
    const schedule = evidenceSchedule({
      everyMs: 1000,
      outDir,
      shutdown: false,
      pack: {
        collectors: platformCollectors({ audit: trail }),
        signingKey: privateKey,
        tenant: 'acme',
      },
      onPack: (p) => {
        packs.push(p.path);
      },
    });
    await new Promise((r) => setTimeout(r, 1500));
    const [a, b] = [schedule.runNow(), schedule.runNow()];
    expect(a).toBe(b);
    await a;
    await schedule.close();
    expect(packs.length).toBeGreaterThanOrEqual(2);
    expect(readdirSync(outDir).filter((f) => f.endsWith('.tar.gz'))).toHaveLength(packs.length);
    for (const p of packs) expect((await verifyPack(p, publicKey)).ok).toBe(true);

    const errors: unknown[] = [];
    const broken = evidenceSchedule({
      everyMs: 60_000,
      outDir,
      shutdown: false,
      pack: { collectors: [], signingKey: 'not a key' },
      onError: (e) => errors.push(e),
      logger: quiet,
    });
    expect(await broken.runNow()).toBeUndefined();
    await broken.close();
    expect(String(errors[0])).toMatch(/signingKey/);
  });
});
