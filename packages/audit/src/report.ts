import {
  type DiagnosticsOptions,
  defaultLogger,
  diagnostics,
  type ErrorInfo,
  type PlatformLogger,
} from '@platform/core';
import type { AuditEvent } from './schema.js';

export const COMPONENT = '@platform/audit';

/**
 * Where in the trail an error happened: `record` (an invalid event), `log` (the log copy),
 * `store` (each failed write), `store-connection` (a lost database connection, once per
 * outage), `drop` (events lost: the queue was full or closed, without a spill file),
 * `rejected` (events the store refused as bad data), `spill`, `onStored`, `checkpoint`.
 */
export type AuditErrorWhere =
  | 'record'
  | 'log'
  | 'store'
  | 'store-connection'
  | 'drop'
  | 'rejected'
  | 'spill'
  | 'onStored'
  | 'checkpoint'
  | (string & {});

/** Core's error info, with the trail's `where` (its `code` is `AUDIT_<WHERE>`). */
export interface AuditErrorInfo extends ErrorInfo {
  where: AuditErrorWhere;
}

/** The trail's `onError`: core's listener shape, called for every error the trail handled. */
export type AuditErrorListener = (error: unknown, info: AuditErrorInfo) => void;

/** Receives each event as it is recorded, for the application log. */
export type AuditLogger = (line: {
  level: 'info';
  msg: 'audit';
  audit: AuditEvent | Omit<AuditEvent, 'seq' | 'recordedAt'>;
}) => void;

export interface AuditDiagnosticsOptions {
  logger?: PlatformLogger;
  onError?: AuditErrorListener;
}

const SILENT: PlatformLogger = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
};

/** `store-connection` → `AUDIT_STORE_CONNECTION`. */
export function errorCode(where: string): string {
  return `AUDIT_${where.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}

/**
 * The trail's error channel, `(error, where)` as the writer and stores report. With the
 * host's `onError`, every error goes to it (and is not logged: the listener decides, and a
 * store outage fails once per retry). Without one, errors are logged, at most one line per
 * `intervalMs`.
 */
export function errorReporter(
  options: AuditDiagnosticsOptions,
  intervalMs = 1000,
): (error: unknown, where: string) => void {
  const onError = options.onError as DiagnosticsOptions['onError'];
  if (onError) {
    const diag = diagnostics(COMPONENT, { logger: SILENT, onError });
    return (error, where) => diag.error(errorCode(where), error, undefined, { where });
  }
  const diag = diagnostics(COMPONENT, { logger: options.logger });
  let last = Number.NEGATIVE_INFINITY;
  return (error, where) => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    diag.error(errorCode(where), error, undefined, { where });
  };
}

type LoggedEvent = Parameters<AuditLogger>[0]['audit'];

/**
 * The log copy of each recorded event: the host's `log` function, nothing with `false`, and
 * by default one info line (`msg: 'audit'`, the event under `audit`) through the package
 * logger (`logger`, else the process-wide one).
 */
export function eventLog(
  log: false | AuditLogger | undefined,
  options: AuditDiagnosticsOptions,
): ((event: LoggedEvent) => void) | undefined {
  if (log === false) return undefined;
  if (log) return (event) => log({ level: 'info', msg: 'audit', audit: event });
  const { logger } = options;
  // the logger is called directly, not through diagnostics(), so that its failure reaches
  // `onError` as 'log' like a failing `log` function's does
  return (event) =>
    (logger ?? defaultLogger()).info(
      { component: COMPONENT, code: 'AUDIT_EVENT', audit: event },
      'audit',
    );
}
