import type { Answer, NeutralHandler, NeutralRequest } from '@platform/core';
import type { AdminAuthorize } from './access.js';

/** A handler of one of the packages: core's neutral request in, core's answer out. */
export type PackageHandler = (request: NeutralRequest) => Answer | Promise<Answer>;

/** Where admin changes are recorded: `auditTrail()` from @platform/audit, or any `record`. */
export interface AdminAuditRecorder {
  record(event: {
    action: string;
    crud?: 'c' | 'r' | 'u' | 'd';
    outcome?: 'success' | 'failure' | 'unknown';
    reason?: string;
    statusCode?: number;
    tenantId?: string;
    actor?: { type?: 'user'; id?: string };
    targets?: { type: string; id: string }[];
    metadata?: Record<string, unknown>;
  }): unknown;
}

export interface AdminConsoleOptions {
  /** Who is calling: `{ actor, roles, tenant? }`, or `null` for 401. */
  authorize: AdminAuthorize;
  /** Records every change made through the console, and every view of the audit log. */
  audit?: AdminAuditRecorder;
  /** The audit log pages: `auditHandlers()` from @platform/audit. */
  auditLog?: { search: PackageHandler; export: PackageHandler; verify?: PackageHandler };
  /** The flag admin API: `flagAdmin(flags)` from @platform/flags. */
  flags?: NeutralHandler;
  /** Runtime log levels: `logLevelHandlers()` from @platform/tracing. */
  logLevels?: { handle: PackageHandler };
  /** The development log inspector: `inspectorHandlers(inspector)` from @platform/tracing. */
  inspector?: { handle: PackageHandler };
  /**
   * Your trace viewer's URL with `{traceId}` in it (Jaeger, Tempo, Honeycomb): the UI links
   * every trace id there. E.g. `https://jaeger.example.com/trace/{traceId}`.
   */
  traceUrl?: string;
  /** AI usage: `costHandlers()` from @platform/cost. */
  cost?: Partial<Record<'usage' | 'timeseries' | 'report' | 'budget', PackageHandler>>;
  /** RED per route: the `metrics()` instance of @platform/metrics. */
  metrics?: { summary: NeutralHandler };
  /** Dependency status: `health()` from @platform/metrics. */
  health?: { status: NeutralHandler };
  /** SLO error budgets and burn rates: `sloTracker()` from @platform/metrics. */
  slos?: { handler: NeutralHandler };
  /**
   * CSRF token key (share it between instances behind one load balancer; default: random
   * per process) and extra origins allowed to call (default: the request's own origin).
   */
  csrf?: { secret?: string | Uint8Array; origins?: string[] };
  /** Where the prebuilt UI is read from. Default: the package's own `dist/ui`. */
  uiDir?: string;
}
