import {
  ConfigError,
  emptyAnswer,
  gauge,
  jsonAnswer,
  type NeutralHandler,
  type NeutralRequest,
  problemAnswer,
  subpath,
} from '@platform/core';
import { type CheckResult, type HealthCheck, type HealthStatus, probe } from './probe.js';

export interface HealthOptions {
  /** The dependencies `/health/ready` and `/health/status` check (names must be unique). */
  checks?: HealthCheck[];
  /** Per-check timeout (default 2,000 ms): a slower check is cut and reported unhealthy. */
  timeoutMs?: number;
  /** How long a result is reused (default 1,000 ms): probes in between never reach the dependency. */
  cacheMs?: number;
  /** Status transitions kept for `/health/status` (default 50). */
  historySize?: number;
  /** Who may read `/health/status` (messages may name hosts); everyone when absent. */
  authorize?: (request: NeutralRequest) => boolean | Promise<boolean>;
  /** Clock for `checked_at` and the cache (epoch ms); tests inject one. */
  now?: () => number;
}

/** A change of one check's status, as the history keeps it. */
export interface HealthTransition {
  name: string;
  from: HealthStatus | null;
  to: HealthStatus;
  at: string;
  message?: string;
}

export interface HealthReport {
  status: HealthStatus;
  checks: CheckResult[];
}

/** The handlers `health()` returns, and the report behind them. */
export interface Health {
  /** `GET /health`: liveness, 200 `{ status: 'ok' }`; calls no dependency. */
  live: NeutralHandler;
  /** `GET /health/ready`: runs the checks; 503 when a critical one is unhealthy. */
  ready: NeutralHandler;
  /** `GET /health/status`: every check's result and the recent transitions. */
  status: NeutralHandler;
  /** All three under one mount point: `''` → live, `ready`, `status`; anything else is not ours. */
  handler: NeutralHandler;
  /** Runs (or reuses) every check. */
  report(): Promise<HealthReport>;
  history(): HealthTransition[];
  /** Stops exporting the `platform_health_check_*` gauges and closes every check. */
  close(): void;
}

const statusGauge = gauge({
  name: 'platform_health_check_status',
  help: 'Last result of each health check: 1 healthy, 0.5 degraded, 0 unhealthy.',
  labelNames: ['check'],
});
const durationGauge = gauge({
  name: 'platform_health_check_duration_seconds',
  help: 'How long the last run of each health check took.',
  labelNames: ['check'],
});
const STATUS_VALUE: Record<HealthStatus, number> = { healthy: 1, degraded: 0.5, unhealthy: 0 };
const NO_STORE = { 'cache-control': 'no-store' };

function validate(options: HealthOptions): void {
  const issues: { path: string; message: string }[] = [];
  const positive = (key: 'timeoutMs' | 'cacheMs' | 'historySize', min: number) => {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= min)) {
      issues.push({ path: key, message: `must be a number >= ${min} (got ${String(v)})` });
    }
  };
  positive('timeoutMs', 1);
  positive('cacheMs', 0);
  positive('historySize', 0);
  const names = new Set<string>();
  (options.checks ?? []).forEach((c, i) => {
    if (typeof c?.name !== 'string' || c.name === '' || typeof c.check !== 'function') {
      issues.push({ path: `checks.${i}`, message: 'must be { name: string, check: function }' });
    } else if (names.has(c.name)) {
      issues.push({ path: `checks.${i}`, message: `duplicate check name "${c.name}"` });
    } else names.add(c.name);
  });
  if (issues.length > 0) {
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid health options:\n${lines}`, issues);
  }
}

/**
 * Liveness, readiness and a comprehensive status for a service's dependencies, as neutral
 * handlers any binding mounts. Each check runs with a timeout; results are cached for
 * `cacheMs` and concurrent probes share one call, so a probe storm reaches each dependency
 * at most once per cache period. A check that throws is reported unhealthy, never thrown.
 *
 * @example
 * const h = health({ checks: [postgresCheck(pool), redisCheck(redis)] });
 * app.get('/health', expressRoute(h.live));
 * app.get('/health/ready', expressRoute(h.ready));
 * app.get('/health/status', expressRoute(h.status));
 */
export function health(options: HealthOptions = {}): Health {
  validate(options);
  const now = options.now ?? Date.now;
  const historySize = options.historySize ?? 50;
  const probeOptions = {
    timeoutMs: options.timeoutMs ?? 2_000,
    cacheMs: options.cacheMs ?? 1_000,
    now,
  };
  const checks = (options.checks ?? []).map((c) => ({ name: c.name, run: probe(c, probeOptions) }));
  const last = new Map<string, CheckResult>();
  const transitions: HealthTransition[] = [];

  function record(result: CheckResult): void {
    const before = last.get(result.name);
    last.set(result.name, result);
    if (before?.status === result.status) return;
    transitions.push({
      name: result.name,
      from: before?.status ?? null,
      to: result.status,
      at: result.checked_at,
      ...(result.message === undefined ? {} : { message: result.message }),
    });
    if (transitions.length > historySize) transitions.splice(0, transitions.length - historySize);
  }

  async function report(): Promise<HealthReport> {
    const results = await Promise.all(checks.map((c) => c.run()));
    let status: HealthStatus = 'healthy';
    for (const r of results) {
      if (r !== last.get(r.name)) record(r);
      if (r.status === 'unhealthy' && r.critical) status = 'unhealthy';
      else if (r.status !== 'healthy' && status === 'healthy') status = 'degraded';
    }
    return { status, checks: results };
  }

  const removeStatus = statusGauge.collect(() =>
    [...last.values()].map((r) => [{ check: r.name }, STATUS_VALUE[r.status]] as const),
  );
  const removeDuration = durationGauge.collect(() =>
    [...last.values()].map((r) => [{ check: r.name }, r.response_time_ms / 1000] as const),
  );

  const onlyGet = (req: NeutralRequest) =>
    req.method === 'GET' || req.method === 'HEAD'
      ? undefined
      : emptyAnswer(405, { allow: 'GET, HEAD', ...NO_STORE });
  const failed = () =>
    problemAnswer(
      503,
      { title: 'Service Unavailable', detail: 'The health checks could not run.' },
      NO_STORE,
    );

  const live: NeutralHandler = (req) => onlyGet(req) ?? jsonAnswer(200, { status: 'ok' }, NO_STORE);

  const ready: NeutralHandler = async (req) => {
    const refused = onlyGet(req);
    if (refused) return refused;
    try {
      const { status, checks: results } = await report();
      const body = { status, checks: Object.fromEntries(results.map((r) => [r.name, r.status])) };
      return jsonAnswer(status === 'unhealthy' ? 503 : 200, body, NO_STORE);
    } catch {
      return failed();
    }
  };

  const status: NeutralHandler = async (req) => {
    const refused = onlyGet(req);
    if (refused) return refused;
    try {
      if (options.authorize && !(await options.authorize(req))) {
        return problemAnswer(403, { title: 'Forbidden' }, NO_STORE);
      }
      const { status: overall, checks: results } = await report();
      const body = {
        status: overall,
        checked_at: new Date(now()).toISOString(),
        uptime_seconds: Math.round(process.uptime()),
        checks: results,
        history: [...transitions].reverse(),
      };
      return jsonAnswer(overall === 'unhealthy' ? 503 : 200, body, NO_STORE);
    } catch {
      return failed();
    }
  };

  const handler: NeutralHandler = (req) => {
    const rest = subpath(req).replace(/\/$/, '');
    if (rest === '') return live(req);
    if (rest === 'ready') return ready(req);
    if (rest === 'status') return status(req);
    return undefined;
  };

  return {
    live,
    ready,
    status,
    handler,
    report,
    history: () => [...transitions].reverse(),
    close() {
      removeStatus();
      removeDuration();
      for (const c of options.checks ?? []) {
        try {
          c.close?.();
        } catch {
          // closing is best effort: a check's close must not throw into the host's shutdown
        }
      }
    },
  };
}
