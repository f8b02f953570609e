import {
  completeLogger,
  defaultLogger,
  diagnostics,
  type ErrorInfo,
  type PartialLogger,
  type PlatformLogger,
} from '@platform/core';
import type { CompiledSnapshot, CompileProblem } from './compile.js';

/**
 * The logger option's older shape: `warn` and `info` only (errors are logged to `warn`).
 * @deprecated Pass a `PlatformLogger` (pino fits) from @platform/core.
 */
export interface FlagsLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
}

/**
 * Core's process-wide logger in the older `FlagsLogger` shape (JSON lines on stderr until
 * @platform/tracing's logger is created).
 * @deprecated Leave `logger` unset: the default is core's process-wide logger.
 */
export const stderrFlagsLogger: FlagsLogger = {
  warn: (obj, msg) => defaultLogger().warn(obj, msg),
  info: (obj, msg) => defaultLogger().info(obj, msg),
};

/** What `onError` gets besides the error: core's `ErrorInfo`, plus the stored flag's problem. */
export interface FlagsErrorInfo extends ErrorInfo {
  /** For `FLAG_INVALID`: the problem of the stored flag (its key, code and message). */
  problems?: CompileProblem[];
}

/**
 * The flag client's `onError`: core's listener shape, with the error always an `Error`. A
 * core `ErrorListener` fits as it is.
 */
export type FlagsErrorListener = (error: Error, info: FlagsErrorInfo) => void;

/** The logger option: core's logger, the older `{ warn, info }` one, or `false` for none. */
export type FlagsLoggerOption = PlatformLogger | FlagsLogger | false;

const silent: PlatformLogger = { error() {}, warn() {}, info() {}, debug() {} };

/** How the flag client reports: store outages and bad flags once per episode, other errors as they come. */
export interface FlagDiagnostics {
  /** A load failed or timed out: reported once until a load succeeds again. */
  storeFailed(error: Error): void;
  /** A load succeeded: ends a store outage, reports each newly invalid flag once. */
  loaded(problems: CompileProblem[], snapshot: CompiledSnapshot): void;
  /** Anything else (a throwing listener or audit hook, an analytics write). */
  error(code: string, error: unknown, message: string): void;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function fallbackOf(problem: CompileProblem, snapshot: CompiledSnapshot): string {
  if (problem.key.startsWith('segment:')) return 'segment ignored';
  const served = snapshot.flags.get(problem.key);
  if (served === undefined) return 'not served (no code definition)';
  return served.error ? 'code default' : 'previous version';
}

/**
 * Once per episode: a store outage is logged when it starts and when it ends, a bad flag
 * when it first fails and again only after it was fixed — never once per reload. Goes
 * through core's diagnostics channel (`logger`, `onError`).
 */
export function flagDiagnostics(
  store: string,
  options: { logger?: FlagsLoggerOption; onError?: FlagsErrorListener },
): FlagDiagnostics {
  const { logger, onError } = options;
  const diag = diagnostics('@platform/flags', {
    logger: logger === false ? silent : completeLogger(logger as PartialLogger | undefined),
    onError: onError && ((error, info) => onError(asError(error), info)),
  });
  let outage: { since: number; failures: number } | undefined;
  const bad = new Map<string, string>();
  return {
    storeFailed(error) {
      if (outage) {
        outage.failures++;
        return;
      }
      outage = { since: Date.now(), failures: 1 };
      const unavailable = new Error(`flags store ${store} unavailable: ${error.message}`, {
        cause: error,
      });
      diag.error(
        'FLAGS_STORE_UNAVAILABLE',
        unavailable,
        'flags store unavailable; serving the last snapshot or code defaults',
        { store, error: error.message },
      );
    },
    loaded(problems, snapshot) {
      if (outage) {
        diag.info('FLAGS_STORE_RECOVERED', 'flags store recovered', {
          store,
          failedLoads: outage.failures,
          downMs: Date.now() - outage.since,
        });
        outage = undefined;
      }
      const now = new Set<string>();
      for (const p of problems) {
        now.add(p.key);
        if (bad.get(p.key) === p.message) continue;
        bad.set(p.key, p.message);
        const fallback = fallbackOf(p, snapshot);
        const invalid = new Error(
          `flag "${p.key}" in store ${store}: ${p.message} (serving ${fallback})`,
        );
        diag.error('FLAG_INVALID', invalid, 'flag invalid in store', {
          store,
          flag: p.key,
          errorCode: p.code,
          problem: p.message,
          fallback,
          problems: [p],
        });
      }
      for (const key of bad.keys()) if (!now.has(key)) bad.delete(key);
    },
    error(code, error, message) {
      diag.error(code, asError(error), message, { store });
    },
  };
}
