import {
  ConfigError,
  emptyAnswer,
  type GaugeSample,
  gauge,
  jsonAnswer,
  type NeutralHandler,
} from '@platform/core';
import type { RequestObserver, RequestSample } from '../observer.js';
import { BucketRing } from './buckets.js';

/** One objective over a group of routes. */
export interface SloDefinition {
  /** The `slo` label of its series. */
  name: string;
  /** Route templates it covers, or a predicate over the template; every route when absent. */
  routes?: readonly string[] | ((route: string) => boolean);
  /** The share of good requests promised, e.g. 0.9995. */
  objective: number;
  /** The rolling window the budget is counted over. */
  window: SloWindow;
  /** A latency objective: a request is good only when it answered (not 5xx) within the threshold. */
  latency?: { thresholdSeconds: number };
}

export type SloWindow = '7d' | '28d' | '30d';

export interface SloTrackerOptions {
  slos: SloDefinition[];
  /** Bucket width (default 300 s; 60 to 3,600, dividing an hour): burn rates are exact to one bucket. */
  bucketSeconds?: number;
  /** Clock (epoch ms); tests inject one. */
  now?: () => number;
}

/** The burn-rate windows reported, in hours. */
const BURN_WINDOWS = { '1h': 1, '6h': 6, '3d': 72 } as const;
type BurnWindow = keyof typeof BURN_WINDOWS;

/** One SLO's state, as the JSON handler and the gauges report it. */
export interface SloReport {
  name: string;
  objective: number;
  window: SloWindow;
  latency_threshold_seconds?: number;
  good: number;
  bad: number;
  /** good / (good + bad) over the window; 1 without traffic. */
  availability: number;
  /** 1 - (bad share / (1 - objective)): 1 untouched, 0 spent, negative overspent. */
  error_budget_remaining: number;
  /** Bad share over each window / (1 - objective): 1 spends the budget exactly over the SLO window. */
  burn_rate: Record<BurnWindow, number>;
}

export interface SloTracker extends RequestObserver {
  report(): SloReport[];
  /** `GET`: `{ slos: SloReport[] }`. */
  handler: NeutralHandler;
  /** Stops exporting the `platform_slo_*` gauges. */
  close(): void;
}

const HOUR = 3_600_000;
const WINDOW_DAYS: Record<SloWindow, number> = { '7d': 7, '28d': 28, '30d': 30 };

const gauges = {
  objective: gauge({
    name: 'platform_slo_objective_ratio',
    help: 'The objective of each SLO.',
    labelNames: ['slo'],
  }),
  budget: gauge({
    name: 'platform_slo_error_budget_remaining_ratio',
    help: 'Error budget left over the SLO window: 1 untouched, 0 spent, below 0 overspent.',
    labelNames: ['slo'],
  }),
  burn: gauge({
    name: 'platform_slo_burn_rate',
    help: 'Error-budget burn rate over the window (1 spends the budget exactly over the SLO window).',
    labelNames: ['slo', 'window'],
  }),
  availability: gauge({
    name: 'platform_slo_availability_ratio',
    help: 'Share of good requests over the SLO window.',
    labelNames: ['slo'],
  }),
};

const round = (x: number) => Math.round(x * 1e9) / 1e9;

function validate(options: SloTrackerOptions): void {
  const issues: { path: string; message: string }[] = [];
  const bucket = options?.bucketSeconds;
  if (
    bucket !== undefined &&
    !(Number.isInteger(bucket) && bucket >= 60 && bucket <= 3600 && 3600 % bucket === 0)
  ) {
    issues.push({
      path: 'bucketSeconds',
      message: `must be an integer from 60 to 3600 dividing 3600 (got ${bucket})`,
    });
  }
  if (!Array.isArray(options?.slos) || options.slos.length === 0) {
    issues.push({ path: 'slos', message: 'must be a non-empty array' });
  }
  const names = new Set<string>();
  (Array.isArray(options?.slos) ? options.slos : []).forEach((slo, i) => {
    const at = (field: string, message: string) =>
      issues.push({ path: `slos.${i}.${field}`, message });
    if (typeof slo?.name !== 'string' || slo.name === '') at('name', 'must be a non-empty string');
    else if (names.has(slo.name)) at('name', `duplicate SLO name "${slo.name}"`);
    else names.add(slo.name);
    if (!(typeof slo?.objective === 'number' && slo.objective > 0 && slo.objective < 1)) {
      at(
        'objective',
        `must be a number between 0 and 1, exclusive (got ${String(slo?.objective)})`,
      );
    }
    if (!Object.hasOwn(WINDOW_DAYS, slo?.window))
      at('window', `must be 7d, 28d or 30d (got ${String(slo?.window)})`);
    const routes = slo?.routes;
    if (routes !== undefined && typeof routes !== 'function' && !Array.isArray(routes)) {
      at('routes', 'must be an array of route templates or a function');
    }
    const threshold = slo?.latency?.thresholdSeconds;
    if (slo?.latency !== undefined && !(typeof threshold === 'number' && threshold > 0)) {
      at(
        'latency.thresholdSeconds',
        `must be a positive number of seconds (got ${String(threshold)})`,
      );
    }
  });
  if (issues.length > 0) {
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid sloTracker options:\n${lines}`, issues);
  }
}

function matcher(routes: SloDefinition['routes']): (route: string) => boolean {
  if (routes === undefined) return () => true;
  if (typeof routes === 'function') return routes;
  const set = new Set(routes);
  return (route) => set.has(route);
}

/**
 * Tracks SLOs from the requests the metrics middleware observes: good and bad counts in
 * bounded time buckets, the error budget left over the SLO window, and burn rates over
 * 1 h, 6 h and 3 d. Reported as JSON (`handler`) and as `platform_slo_*` gauges. A request
 * is bad when it answered 5xx, or, for a latency SLO, took longer than the threshold.
 *
 * @example
 * const slos = sloTracker({ slos: [{ name: 'api', routes: (r) => r.startsWith('/api/'), objective: 0.9995, window: '30d' }] });
 * app.use(metrics({ observers: [slos] }));
 * app.get('/admin/slos', expressRoute(slos.handler));
 */
export function sloTracker(options: SloTrackerOptions): SloTracker {
  validate(options);
  const now = options.now ?? Date.now;
  const bucketMs = (options.bucketSeconds ?? 300) * 1000;
  const tracked = options.slos.map((slo) => ({
    slo,
    matches: matcher(slo.routes),
    threshold: slo.latency?.thresholdSeconds ?? Number.POSITIVE_INFINITY,
    ring: new BucketRing(bucketMs, (WINDOW_DAYS[slo.window] * 24 * HOUR) / bucketMs),
  }));
  let memo: SloReport[] | undefined;
  let memoAt = 0;

  function observe(sample: RequestSample): void {
    try {
      const at = Math.min(sample.endedAt, now());
      for (const t of tracked) {
        if (!t.matches(sample.route)) continue;
        t.ring.add(at, sample.status < 500 && sample.seconds <= t.threshold, at);
        memo = undefined;
      }
    } catch {
      // a throwing route predicate must not reach the request path
    }
  }

  function report(): SloReport[] {
    const at = now();
    memoAt = at;
    memo = tracked.map(({ slo, ring }) => {
      const budget = 1 - slo.objective;
      const burn = (hours: number) => {
        const { good, bad } = ring.sum(at, (hours * HOUR) / bucketMs);
        return good + bad === 0 ? 0 : round(bad / (good + bad) / budget);
      };
      const { good, bad } = ring.sum(at, ring.size);
      const share = good + bad === 0 ? 0 : bad / (good + bad);
      return {
        name: slo.name,
        objective: slo.objective,
        window: slo.window,
        ...(slo.latency ? { latency_threshold_seconds: slo.latency.thresholdSeconds } : {}),
        good,
        bad,
        availability: good + bad === 0 ? 1 : round(good / (good + bad)),
        error_budget_remaining: round(1 - share / budget),
        burn_rate: {
          '1h': burn(BURN_WINDOWS['1h']),
          '6h': burn(BURN_WINDOWS['6h']),
          '3d': burn(BURN_WINDOWS['3d']),
        },
      };
    });
    return memo;
  }

  // one computation per scrape for the four gauges: later collectors reuse the first's
  // (until a request is observed or a second passes)
  const scraped = () => (memo !== undefined && now() - memoAt < 1000 ? memo : report());
  const series = (pick: (r: SloReport) => GaugeSample[]) => () => scraped().flatMap(pick);
  const removers = [
    gauges.objective.collect(series((r) => [[{ slo: r.name }, r.objective]])),
    gauges.budget.collect(series((r) => [[{ slo: r.name }, r.error_budget_remaining]])),
    gauges.availability.collect(series((r) => [[{ slo: r.name }, r.availability]])),
    gauges.burn.collect(
      series((r) =>
        Object.entries(r.burn_rate).map(
          ([window, value]) => [{ slo: r.name, window }, value] as const,
        ),
      ),
    ),
  ];

  return {
    observe,
    report,
    handler: (req) =>
      req.method === 'GET' || req.method === 'HEAD'
        ? jsonAnswer(200, { slos: report() }, { 'cache-control': 'no-store' })
        : emptyAnswer(405, { allow: 'GET, HEAD' }),
    close() {
      for (const remove of removers) remove();
    },
  };
}
