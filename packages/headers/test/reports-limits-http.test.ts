import { shutdown } from '@platform/core';
import { requestContext } from '@platform/core/express';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { cspReportHandler, type ExpressReportOptions } from '../src/express.js';
import { listen } from './helpers.js';

type Line = [Record<string, unknown>, string | undefined];

/** The fields core's diagnostics put on every line of this package. */
const DROPPED = { component: '@platform/headers', code: 'HEADERS_CSP_DROPPED' };

/** One reports+json body of `n` violations, each blocking a different URL (the worst case). */
function batch(n: number, tag = 'x'): string {
  const reports = Array.from({ length: n }, (_, i) => ({
    type: 'csp-violation',
    body: { blockedURL: `https://cdn.e/${tag}${i}` },
  }));
  return JSON.stringify(reports);
}

const servers: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: ExpressReportOptions = {}) {
  const lines: Line[] = [];
  const handler = cspReportHandler({
    logger: { warn: (obj, msg) => lines.push([obj as Record<string, unknown>, msg]) },
    ...options,
  });
  const app = express();
  app.use(requestContext({ trustProxy: ['loopback'] }));
  app.post('/csp-report', handler);
  const server = await listen(app);
  servers.push(server);
  const post = (body: string, client?: string) =>
    fetch(`${server.url}/csp-report`, {
      method: 'POST',
      headers: {
        'content-type': 'application/reports+json',
        ...(client ? { 'x-forwarded-for': client } : {}),
      },
      body,
    });
  return { lines, receiver: handler.receiver, post };
}

describe('CSP receiver log volume over HTTP', () => {
  it('turns one 60 kB report of 924 violations into a bounded number of lines', async () => {
    const { lines, receiver, post } = await start();
    const body = batch(924);
    expect(body.length).toBeGreaterThan(60_000);
    expect(body.length).toBeLessThan(64 * 1024);
    expect((await post(body)).status).toBe(204);
    expect(lines).toEqual([]); // nothing is logged per violation
    receiver.flush();
    const violations = lines.filter(([, msg]) => msg === 'csp violation');
    expect(violations).toHaveLength(100);
    expect(lines.filter(([, msg]) => msg === 'csp violations dropped')).toEqual([
      [
        { ...DROPPED, dropped: { perReport: 824, perClient: 0, groups: 0 } },
        'csp violations dropped',
      ],
    ]);
    expect(lines).toHaveLength(101);
    expect(receiver.stats()).toMatchObject({
      violations: 100,
      dropped: { perReport: 824 },
      emitted: 100,
    });
  });

  it('sums repeated violations into one line with a count', async () => {
    const { lines, receiver, post } = await start();
    const same = JSON.stringify(
      Array.from({ length: 40 }, () => JSON.parse(batch(1))[0] as unknown),
    );
    for (let i = 0; i < 3; i++) expect((await post(same)).status).toBe(204);
    receiver.flush();
    expect(lines).toHaveLength(1);
    const [record, msg] = lines[0] as Line;
    expect(msg).toBe('csp violation');
    expect(record).toMatchObject({
      blockedUri: 'https://cdn.e/x0',
      effectiveDirective: 'unknown',
      count: 120,
      firstSeen: expect.any(String),
      lastSeen: expect.any(String),
    });
    expect(record.requestId).toEqual(expect.any(String));
  });

  it('caps each client by its address, so one flooding client does not silence the others', async () => {
    const { lines, receiver, post } = await start({ perClient: { max: 150, windowMs: 60_000 } });
    for (let i = 0; i < 5; i++) await post(batch(100, `f${i}-`), '203.0.113.9');
    await post(batch(50, 'other-'), '198.51.100.4');
    receiver.flush();
    const stats = receiver.stats();
    expect(stats.violations).toBe(200);
    expect(stats.dropped.perClient).toBe(350);
    const emitted = lines.filter(([, msg]) => msg === 'csp violation');
    // maxGroups (200) distinct groups are held: all 150 of the flooder's and the other's 50
    expect(emitted).toHaveLength(200);
    expect(emitted.filter(([v]) => String(v.blockedUri).includes('other-'))).toHaveLength(50);
    expect(lines.at(-1)).toEqual([
      { ...DROPPED, dropped: { perReport: 0, perClient: 350, groups: 0 } },
      'csp violations dropped',
    ]);
  });

  it('holds at most maxGroups distinct violations between emits, and counts the rest', async () => {
    const { lines, receiver, post } = await start({ maxGroups: 10, perClient: false });
    await post(batch(30));
    receiver.flush();
    expect(lines.filter(([, msg]) => msg === 'csp violation')).toHaveLength(10);
    expect(receiver.stats().dropped.groups).toBe(20);
  });

  it('emits pending groups on its own after aggregateMs', async () => {
    const { lines, post } = await start({ aggregateMs: 100 });
    await post(batch(3));
    expect(lines).toHaveLength(0);
    await expect.poll(() => lines.length, { timeout: 3_000 }).toBe(3);
  });

  it('emits pending groups when the process shuts down', async () => {
    const { lines, post } = await start({ aggregateMs: 3_600_000 });
    await post(batch(2));
    expect(lines).toHaveLength(0);
    const report = await shutdown({ timeoutMs: 2_000 });
    expect(report.completed).toContain('csp-reports');
    expect(lines).toHaveLength(2);
  });
});
