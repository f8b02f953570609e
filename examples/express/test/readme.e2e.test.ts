import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, stopAll } from '../../test-support/harness.js';

/**
 * The root README's demo walkthrough, as a user pastes it: the curl lines of the ```sh
 * blocks after "Once the demo is up", run in order as one bash script with real curl
 * against the demo server, and what the README's comments promise for each.
 */

interface Command {
  /** The command as the README writes it (continuation lines joined). */
  text: string;
  /** The comment lines just above it: what the README promises. */
  promise: string;
}

function walkthrough(readme: string): Command[] {
  const start = readme.indexOf('Once the demo is up');
  if (start < 0) throw new Error('README: no "Once the demo is up" section');
  const rest = readme.slice(start);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const commands: Command[] = [];
  for (const [, body = ''] of section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    let promise: string[] = [];
    let pending = '';
    for (const line of body.split('\n')) {
      if (pending === '' && /^\s*#/.test(line)) {
        promise.push(line.replace(/^\s*#\s?/, ''));
        continue;
      }
      if (pending === '' && line.trim() === '') continue;
      if (line.endsWith('\\')) {
        pending += `${line.slice(0, -1)} `;
        continue;
      }
      commands.push({ text: `${pending}${line}`, promise: promise.join(' ') });
      pending = '';
      promise = [];
    }
  }
  return commands;
}

interface Output {
  command: Command;
  stdout: string;
  status?: number;
  headers: Map<string, string>;
  body: string;
}

/** Splits `curl -i` output into status, headers (lower-cased names) and body. */
function parse(command: Command, stdout: string): Output {
  if (!/\bcurl\b[^|;]*\s-i\b/.test(command.text)) {
    return { command, stdout, headers: new Map(), body: stdout };
  }
  const split = stdout.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = stdout.slice(0, split).split('\r\n');
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return {
    command,
    stdout,
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: stdout.slice(split + 4),
  };
}

const MARK = '@@@readme-command@@@';
const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
const commands = walkthrough(readme);

let app: RunningApp;
let outputs: Output[];

beforeAll(async () => {
  app = await startApp('pnpm', ['start'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0' },
    ready: /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  });
  // one script, the README's commands in order, with a marker printed before each
  const script = [
    'set -e',
    ...commands.map(
      (c, i) =>
        `printf '\\n${MARK}${i}\\n'\n${c.text.replaceAll('http://localhost:3000', app.url)}`,
    ),
  ].join('\n');
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('bash', ['-c', script], { timeout: 90_000 }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}\n${app.output()}`)) : resolve(out),
    );
  });
  const parts = stdout.split(new RegExp(`\\n${MARK}(\\d+)\\n`));
  outputs = commands.map((command, i) => {
    const at = parts.indexOf(String(i), 1);
    return parse(command, at < 0 ? '' : (parts[at + 1] ?? ''));
  });
}, 240_000);
afterAll(stopAll);

/** The output of the one command whose text matches every pattern. */
function output(...patterns: (string | RegExp)[]): Output {
  const found = outputs.filter((o) =>
    patterns.every((p) =>
      typeof p === 'string' ? o.command.text.includes(p) : p.test(o.command.text),
    ),
  );
  expect(found.map((o) => o.command.text)).toHaveLength(1);
  return found[0] as Output;
}

const json = (o: Output) => JSON.parse(o.body) as Record<string, unknown>;

describe('the README walkthrough, pasted as one block', () => {
  it('is extracted from the README: curl lines after "Once the demo is up"', () => {
    expect(commands.length).toBeGreaterThanOrEqual(12);
    for (const c of commands) expect(c.text).toContain('curl');
  });

  it('GET /api/items/1: 200 with X-Request-ID, security headers and RateLimit headers', () => {
    const o = output('/api/items/1 ');
    expect(o.status).toBe(200);
    expect(o.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(o.headers.get('x-content-type-options')).toBe('nosniff');
    expect(o.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(o.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(o.headers.get('ratelimit')).toMatch(/^"per-user";r=\d+;t=\d+$/);
    expect(o.headers.get('ratelimit-policy')).toContain('"per-user";q=100;w=60');
    expect(json(o)).toMatchObject({ id: '1' });
  });

  it('the admin summary without a session: 401 credentials_missing', () => {
    const o = output('/admin/metrics/summary');
    expect(o.status).toBe(401);
    expect(o.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(json(o)).toMatchObject({ status: 401, code: 'credentials_missing' });
  });

  it('GET /api/items/42: 404 as application/problem+json', () => {
    const o = output('/api/items/42');
    expect(o.status).toBe(404);
    expect(o.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(json(o)).toMatchObject({ status: 404, requestId: o.headers.get('x-request-id') });
  });

  it('your X-Request-ID is kept, beside the trace id', () => {
    const o = output('/api/whoami', 'my-trace-123');
    expect(o.status).toBe(200);
    expect(o.headers.get('x-request-id')).toBe('my-trace-123');
    expect(json(o)).toMatchObject({
      requestId: 'my-trace-123',
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
  });

  it("alice's write: 201, and RateLimit names the item-writes limit", () => {
    const o = output('/api/items ', 'alice');
    expect(o.status).toBe(201);
    expect(o.headers.get('ratelimit')).toMatch(/^"item-writes";r=9;/);
    expect(json(o)).toMatchObject({ name: 'Cable', price: 5 });
  });

  it("acme's audit trail, searched right after the write, has the items.create event", () => {
    const o = output('/api/audit/events');
    const page = json(o) as {
      events: { action: string; actor: { id: string }; tenantId: string }[];
    };
    expect(page.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'items.create',
          actor: expect.objectContaining({ id: 'alice' }),
          tenantId: 'acme',
        }),
      ]),
    );
  });

  it("acme's hash chain verifies", () => {
    expect(json(output('/api/audit/verify'))).toMatchObject({ ok: true, tenantId: 'acme' });
  });

  it('eleven writes in a minute by one user: ten 201s, then 429', () => {
    const o = output('for i in');
    expect(o.stdout.trim().split(/\s+/)).toEqual([...Array(10).fill('201'), '429']);
  });

  it('the betaReports flag: 200 for tenant acme, 404 for globex', () => {
    const acme = output('/api/reports', 'acme');
    expect(acme.status).toBe(200);
    expect(json(acme)).toMatchObject({ tenantId: 'acme' });
    const globex = output('/api/reports', 'globex');
    expect(globex.status).toBe(404);
    expect(globex.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('the AI chat answers through the cost wrapper, and its usage record and the budget follow', () => {
    const chat = json(output('/api/ai/chat'));
    expect(chat).toMatchObject({ requestId: 'chat-1', model: 'gpt-4o-mini' });
    expect(chat.reply).toEqual(expect.any(String));

    const usage = json(output('/api/ai/usage')) as {
      records: {
        requestId: string;
        traceId?: string;
        totalTokens: number;
        costNanoUsd: string;
        tenant: string;
      }[];
    };
    expect(usage.records).toHaveLength(1);
    const [record] = usage.records;
    expect(record).toMatchObject({
      requestId: 'chat-1',
      tenant: 'acme',
      traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(record?.totalTokens).toBeGreaterThan(0);
    expect(BigInt(record?.costNanoUsd ?? '0')).toBeGreaterThan(0n);

    const budget = json(output('/api/cost/budget')) as {
      limits: { metric: string; used: number; remaining: number }[];
    };
    expect(budget.limits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ metric: 'calls', used: 1, remaining: 999 }),
      ]),
    );
  });
});
