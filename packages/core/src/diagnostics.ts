import { processSingleton } from './singleton.js';

/**
 * The logger every @platform package accepts under the option `logger`: the part of pino's
 * API the packages call (a pino logger, or a child of one, fits as it is).
 */
export interface PlatformLogger {
  error(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  debug(fields: object, message?: string): void;
}

/** Where an error came from: which package, which event. */
export interface ErrorInfo {
  component: string;
  code: string;
  [field: string]: unknown;
}

/** The one `onError` shape every package accepts: called for each error it handled itself. */
export type ErrorListener = (error: unknown, info: ErrorInfo) => void;

/** The diagnostics options every package accepts, under these names. */
export interface DiagnosticsOptions {
  /** Where this package logs. Default: the process-wide logger (see `setDefaultLogger`). */
  logger?: PlatformLogger;
  /** Called for every error the package handled without throwing into the host. */
  onError?: ErrorListener;
}

type Level = 'error' | 'warn' | 'info' | 'debug';
const LEVELS: Record<Level, number> = { error: 50, warn: 40, info: 30, debug: 20 };

function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: error.message, stack: error.stack, code };
}

/** Plain JSON lines on stderr, pino's shape: the default until a real logger is set. */
function stderrLogger(minimum: number): PlatformLogger {
  const line = (level: Level) => (fields: object, message?: string) => {
    if (LEVELS[level] < minimum) return;
    const record: Record<string, unknown> = { level: LEVELS[level], time: Date.now() };
    for (const [key, value] of Object.entries(fields)) {
      record[key] = key === 'err' ? serializeError(value) : value;
    }
    if (message !== undefined) record.msg = message;
    try {
      process.stderr.write(`${JSON.stringify(record)}\n`);
    } catch {
      // a closed stderr must not break the caller
    }
  };
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
}

const shared = processSingleton('@platform/core.diagnostics', 1, () => ({
  fallback: stderrLogger(LEVELS.info),
  logger: undefined as PlatformLogger | undefined,
}));

/**
 * Sets the process-wide logger every package logs to when given none of its own.
 * @platform/tracing's `createLogger` calls it for the first logger it creates; pass
 * `undefined` to go back to JSON lines on stderr.
 */
export function setDefaultLogger(logger: PlatformLogger | undefined): void {
  shared.logger = logger;
}

/** The process-wide logger: the one set with `setDefaultLogger`, or JSON lines on stderr. */
export function defaultLogger(): PlatformLogger {
  return shared.logger ?? shared.fallback;
}

/** What a package logs through: its component name and code on every line. */
export interface Diagnostics {
  debug(code: string, message: string, fields?: object): void;
  info(code: string, message: string, fields?: object): void;
  warn(code: string, message: string, fields?: object): void;
  /** Logs the error and calls the host's `onError`; never throws. */
  error(code: string, error: unknown, message?: string, fields?: object): void;
}

/**
 * The diagnostics channel of one package: logs through `options.logger` (or the process-wide
 * default, read at each call so a logger created later is used), and hands handled errors to
 * `options.onError`. Nothing it does can throw into the caller.
 *
 * @example
 * const diag = diagnostics('@platform/audit', options);
 * diag.warn('AUDIT_SPILL', 'audit queue full, spilling to disk', { depth: 10_000 });
 */
export function diagnostics(component: string, options: DiagnosticsOptions = {}): Diagnostics {
  const log = (level: Level, fields: object, message: string) => {
    try {
      (options.logger ?? defaultLogger())[level](fields, message);
    } catch {
      // a failing logger must not break the host
    }
  };
  return {
    debug: (code, message, fields) => log('debug', { component, code, ...fields }, message),
    info: (code, message, fields) => log('info', { component, code, ...fields }, message),
    warn: (code, message, fields) => log('warn', { component, code, ...fields }, message),
    error(code, error, message, fields) {
      log(
        'error',
        { component, code, ...fields, err: error },
        message ?? (error instanceof Error ? error.message : String(error)),
      );
      if (!options.onError) return;
      try {
        options.onError(error, { component, code, ...fields });
      } catch {
        // the host's listener failing must not break the host either
      }
    },
  };
}
