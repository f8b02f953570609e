import type { ChainStats, Part } from './servers/fullstack-common.js';
import { STATS_PATH } from './servers/fullstack-common.js';
import { expectResponse } from './suite.js';

/**
 * The `verify` checks of the fullstack suite: before a variant is loaded, every part it
 * claims to mount must act on a request (and a part left out must not), so no variant is
 * measured with a piece silently missing.
 */

export const PATH = '/api/items/42';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TIMEOUT = 5000;

async function stats(origin: string): Promise<ChainStats> {
  const res = await fetch(`${origin}${STATS_PATH}`, { signal: AbortSignal.timeout(TIMEOUT) });
  return (await res.json()) as ChainStats;
}

/** Polls /_stats until `ok` holds (spans and audit events are written in the background). */
async function eventually(origin: string, what: string, ok: (s: ChainStats) => boolean) {
  const deadline = Date.now() + 8000;
  for (;;) {
    const s = await stats(origin);
    if (ok(s)) return;
    if (Date.now() > deadline) throw new Error(`${what}: /_stats still ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function post(origin: string) {
  const res = await fetch(`${origin}${PATH}`, {
    method: 'POST',
    signal: AbortSignal.timeout(TIMEOUT),
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`POST ${PATH}: status ${res.status}`);
}

async function metricsShow(origin: string, series: RegExp): Promise<boolean> {
  const res = await fetch(`${origin}/metrics`, { signal: AbortSignal.timeout(TIMEOUT) });
  return res.status === 200 && series.test(await res.text());
}

const OUR_SERIES = /^http_server_requests_total\{[^}]*http_route="\/api\/items\/:id"[^}]*\} [1-9]/m;

/** Which header each of our parts sends on `GET /api/items/:id`. */
const OUR_HEADERS: Partial<Record<Part, [string, RegExp]>> = {
  headers: ['content-security-policy', /nonce-/],
  ratelimit: ['ratelimit', /^"per-user";r=\d+;t=\d+$/],
};

/** Our chain with every part but `drop`; `sampled`: 100 % sampling, so a span must be exported. */
export const oursChain =
  (sampled: boolean, drop?: Part) =>
  async (origin: string): Promise<void> => {
    const has = (part: Part) => part !== drop;
    const res = await fetch(`${origin}${PATH}`, { signal: AbortSignal.timeout(TIMEOUT) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET ${PATH}: status ${res.status}`);
    if (!REQUEST_ID.test(res.headers.get('x-request-id') ?? '')) throw new Error('no X-Request-ID');
    for (const [part, [name, value]] of Object.entries(OUR_HEADERS) as [Part, [string, RegExp]][]) {
      const got = res.headers.get(name);
      if (has(part) !== (got !== null && value.test(got))) {
        throw new Error(`${part} ${has(part) ? 'mounted' : 'left out'}, but ${name} is ${got}`);
      }
    }
    await post(origin);
    if (has('audit')) await eventually(origin, 'audit', (s) => s.audited > 0);
    const s = await stats(origin);
    if (has('flags') !== s.flagChecks > 0) throw new Error(`flags: ${s.flagChecks} checks`);
    if (has('audit') !== s.audited > 0) throw new Error(`audit: ${s.audited} events`);
    if (has('metrics') !== (await metricsShow(origin, OUR_SERIES))) {
      throw new Error(`metrics ${has('metrics') ? 'mounted' : 'left out'}: /metrics disagrees`);
    }
    if (sampled && has('tracing')) await eventually(origin, 'tracing', (x) => x.spans > 0);
    if (has('errors')) {
      await expectResponse(origin, '/nowhere', {
        status: 404,
        headers: { 'content-type': /^application\/problem\+json/ },
      });
    }
  };

const PEER_RATELIMIT = { express: 'ratelimit', fastify: 'x-ratelimit-limit' } as const;
const PEER_SERIES = /^http_request_duration_seconds_count\{[^}]*\} [1-9]/m;

/** The peer stack: helmet's headers, the limiter's, a flag check, metrics, spans at 100 %. */
export const peersChain =
  (kind: 'express' | 'fastify', sampled: boolean) =>
  async (origin: string): Promise<void> => {
    await expectResponse(origin, PATH, {
      status: 200,
      headers: {
        'x-content-type-options': 'nosniff',
        'content-security-policy': true,
        [PEER_RATELIMIT[kind]]: true,
      },
    });
    const s = await stats(origin);
    if (s.flagChecks < 1) throw new Error('no OpenFeature flag check');
    if (!(await metricsShow(origin, PEER_SERIES))) throw new Error('/metrics lacks the request');
    if (sampled) await eventually(origin, 'OpenTelemetry', (x) => x.spans > 0);
  };

export const bare = (origin: string) => expectResponse(origin, PATH, { status: 200 });
