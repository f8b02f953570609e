import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securityHeaders } from '../src/express.js';
import { type PresetName, scoreHeaders } from '../src/index.js';
import { expectPresetHeaders, listen, PRESET_HEADERS, securityHeadersOf } from './helpers.js';

const presets: PresetName[] = ['html', 'api', 'dev'];

function app(preset: PresetName, withErrorHandler: boolean) {
  const a = express();
  a.use(securityHeaders({ preset }));
  a.get('/', (_req, res) => {
    res.type('html').send(`<script nonce="${res.locals.cspNonce ?? ''}">hydrate()</script>`);
  });
  a.get('/boom', () => {
    throw new Error('boom');
  });
  if (withErrorHandler) {
    a.use((_req: Request, res: Response) => res.status(404).json({ error: 'not found' }));
    a.use((_err: unknown, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ error: 'internal' });
    });
  }
  return a;
}

describe.each(presets)('Express securityHeaders, %s preset', (preset) => {
  const servers: Record<string, Awaited<ReturnType<typeof listen>>> = {};
  beforeAll(async () => {
    servers.app = await listen(app(preset, true));
    servers.bare = await listen(app(preset, false));
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
  });

  it.each([
    ['/', 200],
    ['/missing', 404],
    ['/boom', 500],
  ])('sends exactly the preset on %s (%i)', async (path, status) => {
    const res = await fetch(`${servers.app?.url}${path}`);
    expect(res.status).toBe(status);
    expectPresetHeaders(res.headers, preset);
    expect(res.headers.has('x-powered-by')).toBe(false);
  });

  it.each([
    ['/missing', 404],
    ['/boom', 500],
  ])("keeps every header through Express' own %s handler (%i)", async (path, status) => {
    const res = await fetch(`${servers.bare?.url}${path}`);
    expect(res.status).toBe(status);
    // finalhandler narrows the CSP of its own error page to default-src 'none'; the rest stays.
    expect(securityHeadersOf(res.headers)).toEqual({
      ...PRESET_HEADERS[preset],
      'content-security-policy': "default-src 'none'",
    });
    await res.arrayBuffer();
  });

  if (preset !== 'api') {
    it('puts a fresh 128-bit nonce on res.locals and in the CSP', async () => {
      const nonces = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${servers.app?.url}/`);
        const nonce = expectPresetHeaders(res.headers, preset) ?? '';
        expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
        expect(await res.text()).toBe(`<script nonce="${nonce}">hydrate()</script>`);
        nonces.add(nonce);
      }
      expect(nonces.size).toBe(3);
    });
  }

  if (preset !== 'dev') {
    it('grades A+ on the Observatory scale', async () => {
      const res = await fetch(`${servers.app?.url}/`);
      const score = scoreHeaders(res.headers);
      expect(score.grade).toBe('A+');
      await res.arrayBuffer();
    });
  }
});

describe('Express securityHeaders options', () => {
  it('fails at construction with a message naming the header', () => {
    expect(() => securityHeaders({ strictTransportSecurity: { maxAge: 'year' as never } })).toThrow(
      /strictTransportSecurity\.maxAge: Strict-Transport-Security max-age must be a number/,
    );
  });
});
