import autocannon from 'autocannon';
import { childJob, type DriverMessage } from './children.js';

/** What the harness asks one load process to do. */
export interface LoadJob {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  connections: number;
  /** Seconds of load that are measured. */
  duration: number;
  /** Seconds of load first, thrown away (JIT, connection setup). */
  warmup: number;
}

/** One measured run, as the load process reports it. */
export interface LoadSample {
  requests: number;
  seconds: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Server CPU time (user + system) per measured request, in microseconds; filled by the harness. */
  cpuUs?: number;
}

export type LoadMessage = DriverMessage<LoadSample>;

const run = (job: LoadJob, duration: number) =>
  autocannon({
    url: job.url,
    method: job.method,
    headers: job.headers,
    connections: job.connections,
    duration,
    timeout: 10,
  });

const { job, send } = childJob<LoadJob, LoadMessage>('load');
if (job.warmup > 0) await run(job, job.warmup);
send({ type: 'measuring' });
const result = await run(job, job.duration);
const sample: LoadSample = {
  requests: result.requests.total,
  seconds: result.duration,
  rps: result.requests.total / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
};
send({ type: 'result', sample }, () => process.exit(0));
