import { neutralRequest } from '@platform/core';
import { describe, expect, it } from 'vitest';
import { memoryDestination } from '../test/helpers.js';
import { inspectorHandlers, logLevelHandlers, type TracingHandlers } from './handlers.js';
import { createInspector } from './inspector.js';
import { LogLevels } from './log-levels.js';
import { createLogger } from './logger.js';

interface Call {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** Calls a handler set with core's neutral request; the answer's JSON body parsed back. */
async function call(h: TracingHandlers, { method, path, query, body }: Call) {
  const search = query ? `?${new URLSearchParams(query)}` : '';
  const request = neutralRequest({
    method,
    url: `/${path}${search}`,
    header: () => undefined,
    body,
  });
  const answer = await h.handle(request);
  const text = answer.body as string;
  const json = answer.headers['content-type']?.includes('json');
  return { ...answer, body: json ? (JSON.parse(text) as unknown) : text };
}

describe('logLevelHandlers', () => {
  it('lists, reads, sets and resets module levels; bad input gets a problem body', async () => {
    const levels = new LogLevels();
    const log = createLogger({ destination: memoryDestination(), module: 'billing', levels });
    const h = logLevelHandlers(levels);
    expect(await call(h, { method: 'GET', path: '' })).toMatchObject({
      status: 200,
      body: { modules: [{ module: 'billing', level: 'info', overridden: false }] },
    });
    expect(
      await call(h, { method: 'PUT', path: 'billing', body: { level: 'debug' } }),
    ).toMatchObject({
      status: 200,
      body: { level: 'debug', overridden: true },
    });
    expect(log.level).toBe('debug');
    expect((await call(h, { method: 'GET', path: '/billing' })).body).toMatchObject({
      level: 'debug',
    });
    expect((await call(h, { method: 'DELETE', path: 'billing' })).body).toMatchObject({
      level: 'info',
    });
    expect(log.level).toBe('info');
    const unknown = await call(h, { method: 'PUT', path: 'ghost', body: { level: 'debug' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toBe('application/problem+json');
    expect(
      (await call(h, { method: 'PUT', path: 'billing', body: { level: 'verbose' } })).status,
    ).toBe(400);
    expect((await call(h, { method: 'PUT', path: 'billing', body: {} })).status).toBe(400);
    expect((await call(h, { method: 'POST', path: 'billing' })).status).toBe(405);
  });
});

describe('inspectorHandlers', () => {
  it('refuses everything when the inspector is disabled', async () => {
    const h = inspectorHandlers(createInspector({ enabled: false }));
    expect((await call(h, { method: 'GET', path: 'recent' })).status).toBe(404);
  });

  it('serves recent lines, errors and a request timeline as JSON or Markdown', async () => {
    const inspector = createInspector({ size: 10 });
    const log = createLogger({
      destination: memoryDestination(),
      onLine: inspector.capture,
      levels: new LogLevels(),
    });
    log.info({ requestId: 'r1' }, 'hello');
    log.error({ requestId: 'r2' }, 'broke');
    const h = inspectorHandlers(inspector);
    expect(
      ((await call(h, { method: 'GET', path: 'recent' })).body as { logs: unknown[] }).logs,
    ).toHaveLength(2);
    expect((await call(h, { method: 'GET', path: 'errors' })).body).toMatchObject({
      logs: [{ msg: 'broke' }],
    });
    expect((await call(h, { method: 'GET', path: 'requests/r1' })).body).toMatchObject({
      requestId: 'r1',
      logs: [{ msg: 'hello' }],
    });
    const md = await call(h, { method: 'GET', path: 'requests/r1', query: { format: 'markdown' } });
    expect(md.headers['content-type']).toMatch(/text\/markdown/);
    expect(md.body).toContain('# Request r1');
    expect((await call(h, { method: 'GET', path: 'requests/<script>' })).status).toBe(404);
    expect((await call(h, { method: 'DELETE', path: 'recent' })).status).toBe(405);
  });
});

describe('createInspector', () => {
  it('keeps at most `size` lines, oldest dropped first, and captures nothing when disabled', () => {
    const inspector = createInspector({ size: 3 });
    for (let i = 0; i < 5; i++) inspector.capture(JSON.stringify({ msg: `line ${i}` }));
    inspector.capture('not json');
    expect(inspector.recent().map((l) => l.msg)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(inspector.stats).toEqual({ logs: 3, spans: 0, size: 3 });
    const off = createInspector({ enabled: false });
    off.capture(JSON.stringify({ msg: 'x' }));
    expect(off.stats.logs).toBe(0);
    expect(() => createInspector({ size: 0 })).toThrow(/size/);
  });
});
