import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ErrorInfo, nodeRequest, shutdown, writeAnswer } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../test/support/memory-logger.js';
import { flagAdmin } from '../src/admin.js';
import { createFlags } from '../src/client.js';
import { defineFlags } from '../src/define.js';
import { expressFlags, flagAdminRouter } from '../src/express.js';
import { fileStore } from '../src/stores/file.js';

const definitions = defineFlags({
  beta: { type: 'boolean', default: false },
  theme: { type: 'string', default: 'light', variants: { light: 'light', dark: 'dark' } },
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('diagnostics through core', () => {
  it('a store outage and a bad stored flag reach the logger and onError, coded', async () => {
    const { logger, lines } = memoryLogger();
    const seen: [Error, ErrorInfo][] = [];
    const dir = mkdtempSync(join(tmpdir(), 'flags-kernel-'));
    const path = join(dir, 'flags.yaml');
    const flags = createFlags({
      definitions,
      shutdown: false,
      startupTimeoutMs: 50,
      store: fileStore({ path, watch: false }),
      logger,
      onError: (error, info) => void seen.push([error, info]),
    });
    await flags.ready();
    writeFileSync(path, 'flags:\n  theme:\n    serve: { variant: purple }\n');
    await flags.refresh();
    expect(seen.map(([, info]) => info.code)).toEqual(['FLAGS_STORE_UNAVAILABLE', 'FLAG_INVALID']);
    expect(seen[0]?.[1]).toMatchObject({ component: '@platform/flags', store: `file ${path}` });
    expect(seen[0]?.[0].message).toContain('ENOENT');
    expect(seen[1]?.[1]).toMatchObject({
      flag: 'theme',
      problems: [{ key: 'theme', code: 'PARSE_ERROR' }],
    });
    expect(lines.map((l) => [l.level, l.fields.code, l.message])).toEqual([
      [
        'error',
        'FLAGS_STORE_UNAVAILABLE',
        'flags store unavailable; serving the last snapshot or code defaults',
      ],
      ['info', 'FLAGS_STORE_RECOVERED', 'flags store recovered'],
      ['error', 'FLAG_INVALID', 'flag invalid in store'],
    ]);
    await flags.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logger: false silences the lines, onError still hears', async () => {
    const seen: string[] = [];
    const flags = createFlags({
      definitions,
      shutdown: false,
      startupTimeoutMs: 50,
      store: { name: 'dead', load: () => Promise.reject(new Error('down')) },
      logger: false,
      onError: (_error, info) => void seen.push(info.code),
    });
    await flags.ready();
    expect(seen).toEqual(['FLAGS_STORE_UNAVAILABLE']);
    await flags.close();
  });
});

describe('lifecycle', () => {
  it("core's shutdown() closes the client unless shutdown: false (or the old flushOnShutdown: false)", async () => {
    const managed = createFlags({ definitions });
    const optedOut = createFlags({ definitions, shutdown: false });
    const oldName = createFlags({ definitions, flushOnShutdown: false });
    const report = await shutdown({ timeoutMs: 2_000 });
    expect(report.completed.filter((name) => name === 'flags')).toHaveLength(1);
    await managed.close();
    for (const flags of [optedOut, oldName]) {
      await flags.flush();
      await flags.close();
      await flags.close();
    }
  });
});

describe('flagAdmin as a neutral handler', () => {
  const flags = createFlags({ definitions, shutdown: false });
  const admin = flagAdmin(flags);
  let plain: Server;
  let viaExpress: Server;
  const urls = { plain: '', express: '' };
  beforeAll(async () => {
    plain = createServer(async (req, res) => {
      await writeAnswer(res, await admin(nodeRequest(req, { base: '/flags' })));
    });
    urls.plain = await listen(plain);
    const app = express();
    app.use(requestContext());
    // no express.json(): the admin handler reads the body itself
    app.use('/flags', flagAdminRouter(flags));
    viaExpress = createServer(app);
    urls.express = await listen(viaExpress);
  });
  afterAll(async () => {
    await new Promise((r) => plain.close(r));
    await new Promise((r) => viaExpress.close(r));
    await flags.close();
  });

  it.each(['plain', 'express'] as const)(
    'reads JSON bodies and answers problems (%s)',
    async (at) => {
      const send = (method: string, path: string, body?: string) =>
        fetch(`${urls[at]}/flags${path}`, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body,
        });
      const toggled = await send('POST', '/beta/toggle', JSON.stringify({ enabled: false }));
      expect(toggled.status).toBe(200);
      expect(await toggled.json()).toMatchObject({ key: 'beta', enabled: false });
      const broken = await send('POST', '/beta/toggle', '{"enabled":');
      expect(broken.status).toBe(400);
      expect(broken.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const missing = await send('GET', '/nope/x');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ status: 404, instance: '/nope/x' });
      await send('POST', '/beta/toggle', JSON.stringify({ enabled: true }));
    },
  );
});

describe('expressFlags keeps the bound reader on the request context', () => {
  it('binds once in the middleware; of(req) returns that reader', async () => {
    const flags = createFlags({ definitions, shutdown: false });
    const reqFlags = expressFlags(flags, { context: () => ({ tenantId: 'acme' }) });
    const app = express();
    app.use(requestContext());
    app.use(reqFlags.middleware);
    let bound: unknown;
    app.use((req, _res, next) => {
      bound = reqFlags.of(req);
      next();
    });
    app.get('/same', (req, res) => {
      res.json({ same: reqFlags.of(req) === bound });
    });
    const server = createServer(app);
    const url = await listen(server);
    expect(await (await fetch(`${url}/same`)).json()).toEqual({ same: true });
    await new Promise((r) => server.close(r));
    await flags.close();
  });
});
