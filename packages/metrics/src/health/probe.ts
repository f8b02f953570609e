/** What a dependency check reports; a check that resolves without one is healthy. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface CheckOutcome {
  status?: HealthStatus;
  message?: string;
  details?: Record<string, unknown>;
}

/** One dependency check. `check` gets a signal that aborts when its timeout passes. */
export interface HealthCheck {
  name: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: `async () => { await db.ping(); }` is a check too
  check(signal: AbortSignal): Promise<CheckOutcome | void> | CheckOutcome | undefined | void;
  /** Overrides `health()`'s `timeoutMs` for this check. */
  timeoutMs?: number;
  /** A check that succeeds slower than this is `degraded`. */
  degradedMs?: number;
  /** `false`: an unhealthy result degrades the status instead of failing readiness (default true). */
  critical?: boolean;
  /** Releases what the check holds (listeners on a client); `health().close()` calls it. */
  close?(): void;
}

/** One check's result, as `/health/status` shows it. */
export interface CheckResult {
  name: string;
  status: HealthStatus;
  response_time_ms: number;
  message?: string;
  details?: Record<string, unknown>;
  critical: boolean;
  checked_at: string;
}

export interface ProbeOptions {
  timeoutMs: number;
  cacheMs: number;
  now: () => number;
}

/**
 * Runs one check with a timeout, a result cache and a single call in flight: every probe
 * within `cacheMs` of the last result gets that result, concurrent probes share one call,
 * and a call still hanging past its timeout is not repeated until it settles (a black-holed
 * dependency gets one call, not one per probe).
 */
export function probe(check: HealthCheck, options: ProbeOptions): () => Promise<CheckResult> {
  const timeoutMs = check.timeoutMs ?? options.timeoutMs;
  const critical = check.critical !== false;
  let cached: { result: CheckResult; until: number } | undefined;
  let inFlight: Promise<CheckResult> | undefined;
  let hanging: Promise<unknown> | undefined;

  const result = (
    started: number,
    status: HealthStatus,
    message?: string,
    details?: Record<string, unknown>,
  ): CheckResult => ({
    name: check.name,
    status,
    response_time_ms: Math.round((performance.now() - started) * 100) / 100,
    ...(message === undefined ? {} : { message }),
    ...(details === undefined ? {} : { details }),
    critical,
    checked_at: new Date(options.now()).toISOString(),
  });

  async function run(): Promise<CheckResult> {
    const started = performance.now();
    if (hanging) {
      return result(
        started,
        'unhealthy',
        `the previous check is still running (timeout ${timeoutMs} ms)`,
      );
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref?.();
    });
    let call: Promise<CheckOutcome | undefined>;
    try {
      call = Promise.resolve(check.check(controller.signal) as CheckOutcome | undefined);
    } catch (error) {
      call = Promise.reject(error);
    }
    const settled = call.then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ error }),
    );
    const winner = await Promise.race([settled, timedOut]);
    clearTimeout(timer);
    if (winner === 'timeout') {
      controller.abort(new Error(`health check ${check.name} timed out`));
      hanging = settled.finally(() => {
        hanging = undefined;
      });
      return result(started, 'unhealthy', `timed out after ${timeoutMs} ms`);
    }
    if ('error' in winner) return result(started, 'unhealthy', messageOf(winner.error));
    const outcome = winner.outcome ?? {};
    const elapsed = performance.now() - started;
    let status: HealthStatus = outcome.status ?? 'healthy';
    let message = outcome.message;
    if (status === 'healthy' && check.degradedMs !== undefined && elapsed > check.degradedMs) {
      status = 'degraded';
      message ??= `slower than ${check.degradedMs} ms`;
    }
    return result(started, status, message, outcome.details);
  }

  return () => {
    if (cached && options.now() < cached.until) return Promise.resolve(cached.result);
    if (inFlight) return inFlight;
    inFlight = run()
      .catch((error: unknown) => result(performance.now(), 'unhealthy', messageOf(error)))
      .then((fresh) => {
        cached = { result: fresh, until: options.now() + options.cacheMs };
        inFlight = undefined;
        return fresh;
      });
    return inFlight;
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
