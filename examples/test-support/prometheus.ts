import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './harness.js';

/** One series of an instant query: its labels (with `__name__`) and its value. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** The exemplars Prometheus stored for one series. */
export interface PromExemplars {
  seriesLabels: Record<string, string>;
  exemplars: Array<{ labels: Record<string, string>; value: string; timestamp: number }>;
}

export interface RunningPrometheus {
  /** e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The scrape job's name (every scraped series carries it as `job`). */
  job: string;
  /** An instant query through `/api/v1/query`. */
  query(promql: string): Promise<PromSample[]>;
  /** `/api/v1/query_exemplars` over the last `seconds` (default 10 minutes). */
  exemplars(promql: string, seconds?: number): Promise<PromExemplars[]>;
  /**
   * Polls `query` until `accept` is true of its result (returned), or throws after
   * `timeoutMs` with the last result and Prometheus's output.
   */
  until(
    promql: string,
    accept: (samples: PromSample[]) => boolean,
    timeoutMs?: number,
  ): Promise<PromSample[]>;
  /** Everything Prometheus printed so far, for failure messages. */
  output(): string;
  /** Stops Prometheus (its own pid only) and removes its config and TSDB directory. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Calls `read` every 250 ms until `accept` is true of what it returns (returned), or throws
 * after `timeoutMs` with `what` and the last value.
 */
export async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `not as expected within ${timeoutMs} ms: ${what}; last: ${JSON.stringify(value)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function api<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? res.status}`);
  return body.data;
}

/**
 * Starts a real Prometheus on a free loopback port with a generated config that scrapes
 * `target` (`host:port`) every second at /metrics, exemplar storage on, its config and
 * TSDB in a fresh temporary directory. Resolves once Prometheus answers `/-/ready`.
 */
export async function startPrometheus(options: {
  binary: string;
  target: string;
  job?: string;
  timeoutMs?: number;
}): Promise<RunningPrometheus> {
  const job = options.job ?? 'platform-example';
  const dir = await mkdtemp(path.join(tmpdir(), 'platform-prometheus-'));
  const config = path.join(dir, 'prometheus.yml');
  await writeFile(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  scrape_timeout: 1s',
      'scrape_configs:',
      `  - job_name: ${JSON.stringify(job)}`,
      '    metrics_path: /metrics',
      '    static_configs:',
      `      - targets: [${JSON.stringify(options.target)}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    options.binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--enable-feature=exemplar-storage',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let failed: Error | undefined;
  child.once('error', (err) => {
    failed = err;
  });

  const stop = async () => {
    running.delete(child);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  for (;;) {
    const ended = failed?.message ?? (child.exitCode !== null ? `code ${child.exitCode}` : '');
    if (ended || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready (${ended || 'timed out'}):\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const query = async (promql: string) => {
    const data = await api<{
      result: Array<{ metric: Record<string, string>; value: [number, string] }>;
    }>(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  return {
    url,
    job,
    query,
    exemplars(promql, seconds = 600) {
      const end = Date.now() / 1000;
      return api<PromExemplars[]>(
        `${url}/api/v1/query_exemplars?query=${encodeURIComponent(promql)}&start=${end - seconds}&end=${end + 60}`,
      );
    },
    until: (promql, accept, timeoutMs) =>
      eventually(
        `${promql} (Prometheus output:\n${output.slice(-2_000)})`,
        () => query(promql),
        accept,
        timeoutMs,
      ),
    output: () => output,
    stop,
  };
}
