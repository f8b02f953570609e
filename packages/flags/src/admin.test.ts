import { AuthorizationError } from '@platform/errors';
import { describe, expect, it } from 'vitest';
import { flagAdmin } from './admin.js';
import { createFlags } from './client.js';
import { defineFlags } from './define.js';
import { fileStore } from './stores/file.js';

const definitions = defineFlags({ beta: { type: 'boolean', default: false } });

describe('flagAdmin', () => {
  it('refuses through authorize with a 403 problem', async () => {
    const flags = createFlags({ definitions, flushOnShutdown: false });
    const admin = flagAdmin(flags, {
      authorize: (req) => {
        if (req.method !== 'GET') throw new AuthorizationError('read-only for you');
      },
    });
    expect((await admin({ method: 'GET', path: '/beta' })).status).toBe(200);
    const denied = await admin({ method: 'POST', path: '/beta/toggle', body: { enabled: false } });
    expect(denied.status).toBe(403);
    expect(
      Object.entries(denied.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1],
    ).toMatch(/problem\+json/);
    expect(JSON.parse(denied.body)).toMatchObject({ status: 403, detail: 'read-only for you' });
    expect(flags.isEnabled('beta')).toBe(false);
    await flags.close();
  });

  it('answers 405 problem+json for writes to a read-only store', async () => {
    const flags = createFlags({
      definitions,
      store: fileStore({ path: '/nonexistent/flags.yaml', watch: false }),
      flushOnShutdown: false,
      startupTimeoutMs: 50,
      onError: () => {},
    });
    const res = await flagAdmin(flags)({ method: 'POST', path: '/', body: { key: 'x' } });
    expect(res.status).toBe(405);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'flag_store_read_only' });
    await flags.close();
  });

  it('answers 400 problem+json for a path segment that does not decode', async () => {
    const flags = createFlags({ definitions, flushOnShutdown: false });
    for (const path of ['/%E0%A4%A', '/beta/tenants/%E0%A4%A']) {
      const res = await flagAdmin(flags)({ method: 'GET', path });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'validation' });
    }
    await flags.close();
  });
});
