/** One request of a load run: when it was sent (ms since the run started) and how it ended. */
export interface Sample {
  kind: string;
  sentAt: number;
  ms: number;
  status?: number;
  /** The error name when no answer came (a refused connection, the deadline). */
  error?: string;
  headers?: Headers;
  /** The first 300 characters of the answer, for failure messages. */
  body?: string;
}

export interface LoadOptions {
  /** Requests per second, sent at an even pace. */
  rate: number;
  durationMs: number;
  /** Each request is abandoned after this long (and counted as unanswered). */
  deadlineMs: number;
  /** Builds request `i`: what it is and how to send it. */
  request(i: number): { kind: string; send(signal: AbortSignal): Promise<Response> };
  /** Called with the time since start, every tick (to cut and heal on schedule). */
  onTick?(elapsedMs: number): void | Promise<void>;
}

/**
 * Sends `rate * durationMs / 1000` requests at an even pace, each bounded by `deadlineMs`,
 * and resolves once every one has ended. Bounded in count and in time.
 */
export async function runLoad(options: LoadOptions): Promise<Sample[]> {
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const interval = 1000 / options.rate;
  const started = performance.now();
  const pending: Promise<Sample>[] = [];
  let sent = 0;
  while (sent < total) {
    const elapsed = performance.now() - started;
    await options.onTick?.(elapsed);
    while (sent < total && sent * interval <= elapsed) {
      pending.push(one(options, sent++, started));
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return Promise.all(pending);
}

async function one(options: LoadOptions, i: number, started: number): Promise<Sample> {
  const { kind, send } = options.request(i);
  const t0 = performance.now();
  const sample: Sample = { kind, sentAt: t0 - started, ms: 0 };
  try {
    const res = await send(AbortSignal.timeout(options.deadlineMs));
    sample.body = (await res.text()).slice(0, 300);
    sample.status = res.status;
    sample.headers = res.headers;
  } catch (err) {
    sample.error = (err as Error).name === 'TimeoutError' ? 'deadline' : (err as Error).name;
  }
  sample.ms = performance.now() - t0;
  return sample;
}
