import { scoreHeaders } from '@platform/headers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, stopAll } from '../../test-support/harness.js';
import {
  API_PRESET,
  describeCspReceiver,
  expectSecurityHeaders,
  HTML_PRESET_STATIC,
  htmlCsp,
} from '../../test-support/headers-suite.js';
import { startNext } from './next-app.js';

const NONCE = /'nonce-([A-Za-z0-9+/_-]{22,}={0,2})'/;

let app: RunningApp;

beforeAll(async () => {
  app = await startNext();
});
afterAll(stopAll);

/** The page's CSP nonce, after checking the whole `html` preset header set. */
function expectHtmlPreset(res: Response): string {
  const csp = res.headers.get('content-security-policy') ?? '';
  const nonce = NONCE.exec(csp)?.[1];
  expect(nonce, csp).toBeDefined();
  expectSecurityHeaders(res, {
    ...HTML_PRESET_STATIC,
    'content-security-policy': htmlCsp(nonce as string, '/api/csp-report'),
    'reporting-endpoints': 'csp-endpoint="/api/csp-report"',
    // Next's own, for dynamically rendered pages (the html preset sends none)
    'cache-control': 'private, no-cache, no-store, max-age=0, must-revalidate',
  });
  return nonce as string;
}

describe('pages: the html preset with a per-request nonce', () => {
  it('sends a fresh 128-bit nonce per request and puts it on the scripts', async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${app.url}/`);
      expect(res.status).toBe(200);
      const nonce = expectHtmlPreset(res);
      expect(Buffer.from(nonce, 'base64').length).toBeGreaterThanOrEqual(16);
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(1);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      nonces.push(nonce);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('on the 404 page', async () => {
    const res = await fetch(`${app.url}/nope`);
    expect(res.status).toBe(404);
    expectHtmlPreset(res);
  });

  it('never forwards a client-sent nonce', async () => {
    const res = await fetch(`${app.url}/`, { headers: { 'x-nonce': 'attacker' } });
    expect(await res.text()).not.toContain('nonce="attacker"');
  });

  it('grades A+', async () => {
    const res = await fetch(`${app.url}/`);
    expect(scoreHeaders(res.headers)).toMatchObject({ grade: 'A+' });
  });
});

describe('route handlers: the api preset, exactly', () => {
  it.each([
    ['/health', 200],
    ['/api/items', 200],
    ['/api/items/999', 404],
    ['/api/boom', 500],
  ])('GET %s (%i)', async (path, status) => {
    const res = await fetch(`${app.url}${path}`);
    expect(res.status).toBe(status);
    expectSecurityHeaders(res, API_PRESET);
  });

  it('grades A+', async () => {
    const res = await fetch(`${app.url}/api/items`);
    expect(scoreHeaders(res.headers)).toMatchObject({ grade: 'A+' });
  });
});

describeCspReceiver(() => app);
