import {
  type Diagnostics,
  type DiagnosticsOptions,
  diagnostics,
  getContext,
  type PlatformLogger,
} from '@platform/core';
import {
  type DecisionHook,
  type DenyLogger,
  denyEvent,
  denyFields,
  type LimiterLogEvent,
  outcomeOf,
} from './events.js';
import { type LimitInput, NO_INPUT } from './keys.js';
import type { LimitResult } from './result.js';

const COMPONENT = '@platform/ratelimit';

/** Stands in for the logger when `log` takes the lines (a callback) or drops them (`false`). */
const SILENT: PlatformLogger = { error() {}, warn() {}, info() {}, debug() {} };

export interface ReporterOptions extends DiagnosticsOptions {
  name: string;
  failMode: 'open' | 'closed';
  log?: false | DenyLogger;
  onDecision?: DecisionHook;
}

interface Outage {
  since: number;
  open: number;
  closed: number;
}

/**
 * What a limiter tells the host: a line per refusal, one when its store starts failing and
 * one when it answers again (never one per check), the metrics hook, and `onError` for the
 * outage. Lines go to the `log` callback when there is one, else to the logger.
 */
export class LimiterReporter {
  readonly #name: string;
  readonly #failMode: 'open' | 'closed';
  readonly #callback: DenyLogger | undefined;
  readonly #logging: boolean;
  readonly #onDecision: DecisionHook | undefined;
  readonly #diag: Diagnostics;
  #outage: Outage | undefined;

  constructor(options: ReporterOptions) {
    this.#name = options.name;
    this.#failMode = options.failMode;
    this.#callback = typeof options.log === 'function' ? options.log : undefined;
    this.#logging = options.log !== false;
    this.#onDecision = options.onDecision;
    const logger = options.log === undefined ? options.logger : SILENT;
    this.#diag = diagnostics(COMPONENT, { logger, onError: options.onError });
  }

  /** Logs a refusal (also a dry-run one) and calls the metrics hook; returns the result. */
  report(result: LimitResult, input: LimitInput): LimitResult {
    if (result.limited && this.#logging) this.#denied(result, input);
    if (this.#onDecision) {
      try {
        this.#onDecision({ limiter: this.#name, outcome: outcomeOf(result), result });
      } catch {
        // a failing metrics hook must not change the decision
      }
    }
    return result;
  }

  /** The store could not answer: the first failure of an outage is logged and reported. */
  storeFailed(error: unknown): void {
    if (this.#outage === undefined) {
      this.#outage = { since: Date.now(), open: 0, closed: 0 };
      this.#degraded(error);
    }
    if (this.#failMode === 'open') this.#outage.open++;
    else this.#outage.closed++;
  }

  /** The store answered: ends an outage, if one was going on. */
  storeAnswered(): void {
    if (this.#outage !== undefined) this.#recovered(this.#outage);
  }

  #denied(result: LimitResult, input: LimitInput): void {
    const fields = denyFields(result, input === NO_INPUT ? { context: getContext() } : input);
    if (this.#callback) this.#call(denyEvent(fields));
    else this.#diag.warn('RATE_LIMIT_EXCEEDED', 'rate limit exceeded', fields);
  }

  #degraded(error: unknown): void {
    const fields = {
      limiter: this.#name,
      failMode: this.#failMode,
      reason: (error as { reason?: string } | null)?.reason ?? 'error',
    };
    this.#call({
      level: 'warn',
      msg: 'rate limit store degraded',
      time: new Date().toISOString(),
      ...fields,
      error: error instanceof Error ? error.message : String(error),
    });
    // logs (unless `log` is set) and hands the error to onError, once per outage
    this.#diag.error('RATE_LIMIT_STORE_DEGRADED', error, 'rate limit store degraded', fields);
  }

  #recovered(outage: Outage): void {
    this.#outage = undefined;
    const fields = {
      limiter: this.#name,
      failMode: this.#failMode,
      degradedMs: Date.now() - outage.since,
      failedOpen: outage.open,
      failedClosed: outage.closed,
    };
    if (this.#callback) {
      this.#call({
        level: 'info',
        msg: 'rate limit store recovered',
        time: new Date().toISOString(),
        ...fields,
      });
    } else this.#diag.info('RATE_LIMIT_STORE_RECOVERED', 'rate limit store recovered', fields);
  }

  /** Hands a line to the `log` callback; a failing callback must not change the decision. */
  #call(event: LimiterLogEvent): void {
    if (!this.#callback) return;
    try {
      this.#callback(event);
    } catch {
      // swallowed, as documented
    }
  }
}
