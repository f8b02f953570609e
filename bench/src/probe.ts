import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { childJob, type DriverMessage } from './children.js';
import { percentile } from './stats.js';

/** What the harness asks one latency probe to do. */
export interface ProbeJob {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** Requests measured, one at a time. */
  requests: number;
  /** Seconds of requests first, thrown away (JIT, connection setup). */
  warmup: number;
  /** Requests per second, paced; 0 sends each as soon as the previous one is answered. */
  rate: number;
}

/** One measured run, as the probe reports it. Latencies in microseconds. */
export interface LatencySample {
  requests: number;
  seconds: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Server CPU time (user + system) per measured request, in microseconds; filled by the harness. */
  cpuUs?: number;
}

export type ProbeMessage = DriverMessage<LatencySample>;

const TIMEOUT_MS = 10_000;

const { job, send } = childJob<ProbeJob, ProbeMessage>('probe');
const target = new URL(job.url);
// One keep-alive socket: every request after the first reuses the connection.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const options: http.RequestOptions = {
  agent,
  host: target.hostname,
  port: target.port,
  path: `${target.pathname}${target.search}`,
  method: job.method,
  headers: job.headers,
};

type Outcome = { us: number; status: number } | 'error' | 'timeout';

/** One request, timed from before it is written until the last byte of the response. */
const once = () =>
  new Promise<Outcome>((resolve) => {
    const start = process.hrtime.bigint();
    const req = http.request(options, (res) => {
      res.on('end', () => {
        const us = Number(process.hrtime.bigint() - start) / 1000;
        resolve({ us, status: res.statusCode ?? 0 });
      });
      res.on('error', () => resolve('error'));
      res.resume();
    });
    req.setTimeout(TIMEOUT_MS, () => {
      req.destroy();
      resolve('timeout');
    });
    req.on('error', () => resolve('error'));
    req.end();
  });

const counts = { non2xx: 0, errors: 0, timeouts: 0 };

/** Sends requests until `stop(n)` is true; returns the latencies of the answered ones. */
async function probe(stop: (sent: number, startMs: number) => boolean, into?: Float64Array) {
  const startMs = performance.now();
  const intervalMs = job.rate > 0 ? 1000 / job.rate : 0;
  let answered = 0;
  for (let sent = 0; !stop(sent, startMs); sent++) {
    if (intervalMs > 0) {
      const wait = startMs + sent * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const out = await once();
    if (out === 'error') counts.errors++;
    else if (out === 'timeout') counts.timeouts++;
    else {
      if (out.status < 200 || out.status > 299) counts.non2xx++;
      if (into) into[answered] = out.us;
      answered++;
    }
  }
  return { answered, seconds: (performance.now() - startMs) / 1000 };
}

if (job.warmup > 0) await probe((_, startMs) => performance.now() - startMs >= job.warmup * 1000);
counts.non2xx = counts.errors = counts.timeouts = 0;
send({ type: 'measuring' });
const latencies = new Float64Array(job.requests);
const { answered, seconds } = await probe((sent) => sent >= job.requests, latencies);
const sorted = latencies.subarray(0, answered).sort();
const sample: LatencySample = {
  requests: answered,
  seconds,
  p50: percentile(sorted, 0.5),
  p90: percentile(sorted, 0.9),
  p99: percentile(sorted, 0.99),
  p999: percentile(sorted, 0.999),
  max: sorted[sorted.length - 1] ?? Number.NaN,
  ...counts,
};
agent.destroy();
send({ type: 'result', sample }, () => process.exit(0));
