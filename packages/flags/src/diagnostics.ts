import type { CompiledSnapshot, CompileProblem } from './compile.js';

/** Where the flag client reports degradations: pino fits (`logger.child({ module: 'flags' })`). */
export interface FlagsLogger {
  warn(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
}

const line =
  (level: 'warn' | 'info') =>
  (obj: Record<string, unknown>, msg: string): void => {
    process.stderr.write(
      `${JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj })}\n`,
    );
  };

/** The default: one JSON line on stderr per degradation and per recovery. */
export const stderrFlagsLogger: FlagsLogger = { warn: line('warn'), info: line('info') };

export interface Diagnostics {
  /** A load failed or timed out: reported once until a load succeeds again. */
  storeFailed(error: Error): void;
  /** A load succeeded: ends a store outage, reports each newly invalid flag once. */
  loaded(problems: CompileProblem[], snapshot: CompiledSnapshot): void;
  /** Anything else (a throwing listener or audit hook): passed to `onError`. */
  error(error: Error): void;
}

/**
 * Once per episode: a store outage is logged when it starts and when it ends, a bad flag
 * when it first fails and again only after it was fixed — never once per reload.
 */
export function flagDiagnostics(
  store: string,
  logger: FlagsLogger | undefined,
  onError: ((error: Error, problems?: CompileProblem[]) => void) | undefined,
): Diagnostics {
  let outage: { since: number; failures: number } | undefined;
  const bad = new Map<string, string>();
  const hook = (error: Error, problems?: CompileProblem[]) => {
    try {
      onError?.(error, problems);
    } catch {
      // a failing error hook must not break reloads
    }
  };
  const log = (level: 'warn' | 'info', obj: Record<string, unknown>, msg: string) => {
    try {
      logger?.[level](obj, msg);
    } catch {
      // nor a failing logger
    }
  };
  return {
    storeFailed(error) {
      if (outage) {
        outage.failures++;
        return;
      }
      outage = { since: Date.now(), failures: 1 };
      const message = `flags store ${store} unavailable: ${error.message}`;
      log(
        'warn',
        { store, error: error.message },
        'flags store unavailable; serving the last snapshot or code defaults',
      );
      hook(Object.assign(new Error(message), { cause: error }));
    },
    loaded(problems, snapshot) {
      if (outage) {
        log(
          'info',
          { store, failedLoads: outage.failures, downMs: Date.now() - outage.since },
          'flags store recovered',
        );
        outage = undefined;
      }
      const now = new Set<string>();
      for (const p of problems) {
        now.add(p.key);
        if (bad.get(p.key) === p.message) continue;
        bad.set(p.key, p.message);
        const served = snapshot.flags.get(p.key);
        const fallback = p.key.startsWith('segment:')
          ? 'segment ignored'
          : served === undefined
            ? 'not served (no code definition)'
            : served.error
              ? 'code default'
              : 'previous version';
        log(
          'warn',
          { store, flag: p.key, code: p.code, problem: p.message, fallback },
          'flag invalid in store',
        );
        hook(new Error(`flag "${p.key}" in store ${store}: ${p.message} (serving ${fallback})`), [
          p,
        ]);
      }
      for (const key of bad.keys()) if (!now.has(key)) bad.delete(key);
    },
    error(error) {
      hook(error);
    },
  };
}
