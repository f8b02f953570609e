import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getContext, type PlatformLogger } from '@platform/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiKeys, apiKeyOf, apiKeys, memoryKeyStore } from '../src/index.js';

export async function listening(server: Server): Promise<string> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** A logger that keeps every line, to prove no secret reaches a log. */
export function capturingLogger(): PlatformLogger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (fields: object, message?: string) => {
    lines.push(JSON.stringify({ ...fields, message }));
  };
  return { lines, error: keep, warn: keep, info: keep, debug: keep };
}

/** What every route answers: who the context says is calling. */
export const whoami = () => {
  const ctx = getContext();
  return { actor: ctx?.actor, tenantId: ctx?.tenantId, scopes: apiKeyOf(ctx)?.scopes };
};

export interface KeyApp {
  url: string;
  close(): void | Promise<void>;
}

/**
 * The behaviour every binding must show, over a real server: routes `GET /api/whoami`
 * (key only), `GET /api/invoices` (`invoices:read`), `POST /api/invoices` (`invoices:write`).
 */
export function describeKeyApi(
  name: string,
  serve: (keys: ApiKeys, logger: PlatformLogger) => Promise<KeyApp>,
): void {
  describe(name, () => {
    const logger = capturingLogger();
    const keys = apiKeys({ store: memoryKeyStore(), logger, shutdown: false });
    let app: KeyApp;
    let key: string;
    let id: string;
    beforeAll(async () => {
      const issued = await keys.create({
        name: 'billing sync',
        tenantId: 'acme',
        scopes: ['invoices:read'],
        roles: ['operator'],
      });
      key = issued.key;
      id = issued.info.id;
      app = await serve(keys, logger);
    });
    afterAll(async () => {
      await app.close();
      await keys.close();
    });
    const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
      fetch(`${app.url}${path}`, { method, headers });

    it('puts the key as actor, its tenant and scopes in the context (X-API-Key or Bearer)', async () => {
      const ways: Record<string, string>[] = [
        { 'x-api-key': key },
        { authorization: `Bearer ${key}` },
      ];
      for (const headers of ways) {
        const res = await get('/api/whoami', headers);
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({
          actor: { type: 'apiKey', id, roles: ['operator'], name: 'billing sync' },
          tenantId: 'acme',
          scopes: ['invoices:read'],
        });
      }
    });

    it('answers one identical 401 for a missing, malformed, unknown, wrong or revoked key', async () => {
      const other = await keys.create({ name: 'gone' });
      await keys.revoke(other.info.id);
      const flip = key.at(-1) === 'A' ? 'B' : 'A';
      const wrong = [
        undefined,
        'nonsense',
        key.replace(id, '0123456789abcdef'),
        key.slice(0, -1) + flip,
        other.key,
      ];
      const bodies = new Set<string>();
      for (const presented of wrong) {
        const res = await get('/api/whoami', presented ? { 'x-api-key': presented } : {});
        expect(res.status).toBe(401);
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        const body = (await res.json()) as Record<string, unknown>;
        expect(body.requestId).toBe(res.headers.get('x-request-id'));
        const { requestId: _r, ...rest } = body;
        bodies.add(JSON.stringify(rest));
      }
      expect(bodies.size).toBe(1);
      expect([...bodies][0]).toContain('invalid_api_key');
    });

    it('checks scopes: 200 with the scope, 403 problem+json without', async () => {
      expect((await get('/api/invoices', { 'x-api-key': key })).status).toBe(200);
      const res = await get('/api/invoices', { 'x-api-key': key }, 'POST');
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ status: 403, code: 'insufficient_scope' });
      expect((await get('/api/invoices')).status).toBe(401);
    });

    it('accepts the old and the new key during the grace period', async () => {
      const issued = await keys.create({ name: 'rotating', scopes: ['invoices:*'] });
      const rotated = await keys.rotate(issued.info.id, { graceMs: 60_000 });
      for (const k of [issued.key, rotated?.key as string]) {
        const res = await get('/api/invoices', { authorization: `Bearer ${k}` }, 'POST');
        expect(res.status).toBe(200);
      }
    });

    it('writes no secret to any log line', () => {
      const secret = key.slice(key.lastIndexOf(id) + id.length + 1);
      expect(logger.lines.length).toBeGreaterThan(0);
      for (const line of logger.lines) expect(line).not.toContain(secret.slice(0, 20));
    });
  });
}
