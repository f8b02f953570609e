import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { contentSecurityPolicy } from '@platform/headers';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRouter } from '../src/express.js';
import { adminConsole } from '../src/index.js';
import { principalOf } from './support.js';

describe('the prebuilt UI', () => {
  let origin: string;
  let close: () => void;
  beforeAll(async () => {
    const app = express();
    app.use('/admin', adminRouter(adminConsole({ authorize: principalOf })));
    const unbuilt = mkdtempSync(join(tmpdir(), 'admin-ui-'));
    app.use('/empty', adminRouter(adminConsole({ authorize: principalOf, uiDir: unbuilt })));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it('redirects the bare mount point to the folder, so relative asset URLs resolve', async () => {
    const r = await fetch(`${origin}/admin`, { redirect: 'manual' });
    expect(r.status).toBe(308);
    expect(r.headers.get('location')).toBe('/admin/');
  });

  it("serves the page under @platform/headers' html CSP with a fresh nonce on its files", async () => {
    const a = await fetch(`${origin}/admin/`);
    const b = await fetch(`${origin}/admin/`);
    const html = await a.text();
    const nonce = /<script type="module" src="assets\/app.js" nonce="([^"]+)"/.exec(html)?.[1];
    expect(nonce).toBeDefined();
    expect(html).toContain(`<link rel="stylesheet" href="assets/app.css" nonce="${nonce}"`);
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    expect(a.headers.get('content-security-policy')).toBe(contentSecurityPolicy().value(nonce));
    expect(b.headers.get('content-security-policy')).not.toBe(
      a.headers.get('content-security-policy'),
    );
  });

  it('serves the assets and keeps the bundle under its budget (150 kB gzipped)', async () => {
    const js = await fetch(`${origin}/admin/assets/app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const css = await fetch(`${origin}/admin/assets/app.css`);
    expect(css.status).toBe(200);
    const gz =
      gzipSync(Buffer.from(await js.arrayBuffer())).length +
      gzipSync(Buffer.from(await css.arrayBuffer())).length;
    expect(gz).toBeLessThan(150_000);
    expect((await fetch(`${origin}/admin/assets/..%2Fpackage.json`)).status).toBe(404);
    expect((await fetch(`${origin}/admin/assets/missing.js`)).status).toBe(404);
  });

  it('answers 503 with a readable problem when the UI was not built', async () => {
    const r = await fetch(`${origin}/empty/`);
    expect(r.status).toBe(503);
    expect(((await r.json()) as { detail: string }).detail).toMatch(/not built/);
  });
});
