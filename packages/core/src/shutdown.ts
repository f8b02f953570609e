import { processSingleton } from './singleton.js';

/** A flush or close step run at shutdown. */
export type ShutdownHook = () => unknown | Promise<unknown>;

export interface ShutdownReport {
  /** Hooks that finished, in the order they ran. */
  completed: string[];
  failed: { name: string; error: unknown }[];
  /** Hooks still running when the deadline passed. */
  timedOut: string[];
}

interface Entry {
  name: string;
  fn: ShutdownHook;
  timeoutMs?: number;
}

export interface ShutdownHookOptions {
  name?: string;
  /** This step's own limit, so one hung step cannot use the whole deadline. */
  timeoutMs?: number;
}

// One registry per process, however many copies of this module are loaded: a buffer
// registered through the CommonJS build is flushed by the ESM build's shutdown().
const state = processSingleton('@platform/core.shutdown', 1, () => ({
  hooks: [] as Entry[],
  running: undefined as Promise<ShutdownReport> | undefined,
  uninstallSignals: undefined as (() => void) | undefined,
}));
const hooks = state.hooks;

/**
 * Registers a step to run at shutdown (flush a buffer, close a pool). Steps run
 * last-registered first, so a component closes before what it was built on.
 * Returns a function that unregisters the step.
 *
 * @example
 * onShutdown(() => writer.flush(), { name: 'audit-writer' });
 */
export function onShutdown(fn: ShutdownHook, options: ShutdownHookOptions = {}): () => void {
  const entry: Entry = {
    name: options.name ?? (fn.name || `hook-${hooks.length + 1}`),
    fn,
    timeoutMs: options.timeoutMs,
  };
  hooks.push(entry);
  return () => {
    const i = hooks.indexOf(entry);
    if (i !== -1) hooks.splice(i, 1);
  };
}

/**
 * Runs every registered step once, newest first, within one overall deadline (and
 * each step within its own `timeoutMs`, when it registered one).
 * Never rejects: failures and steps cut off by the deadline are reported.
 * Calling it again while it runs returns the same promise.
 */
export function shutdown(options: { timeoutMs?: number } = {}): Promise<ShutdownReport> {
  state.running ??= runHooks(options.timeoutMs ?? 10_000).finally(() => {
    state.running = undefined;
  });
  return state.running;
}

async function runHooks(timeoutMs: number): Promise<ShutdownReport> {
  const report: ShutdownReport = { completed: [], failed: [], timedOut: [] };
  // monotonic: the timers below run on it, and a wall-clock reading may trail them by a tick
  const deadline = performance.now() + timeoutMs;
  const pending = hooks.splice(0).reverse();
  for (let i = 0; i < pending.length; i++) {
    const entry = pending[i]!;
    const shared = deadline - performance.now();
    if (shared <= 0) {
      report.timedOut.push(...pending.slice(i).map((e) => e.name));
      break;
    }
    const own = entry.timeoutMs ?? Number.POSITIVE_INFINITY;
    const left = Math.min(shared, own);
    let timer: NodeJS.Timeout | undefined;
    // Not unref'd: a hook that hangs without holding a handle would otherwise let the
    // event loop drain and the process exit 0 before the deadline, with no report.
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), left);
    });
    try {
      const outcome = await Promise.race([Promise.resolve().then(entry.fn), timeout]);
      if (outcome === 'timeout') {
        report.timedOut.push(entry.name);
        // cut by the shared deadline, not its own limit: the deadline is spent, whatever a
        // clock reading a tick early would say, so no later hook starts
        if (own >= shared) {
          report.timedOut.push(...pending.slice(i + 1).map((e) => e.name));
          break;
        }
      } else report.completed.push(entry.name);
    } catch (error) {
      report.failed.push({ name: entry.name, error });
    } finally {
      clearTimeout(timer);
    }
  }
  return report;
}

export interface SignalOptions {
  signals?: NodeJS.Signals[];
  timeoutMs?: number;
  /** Exit the process after shutdown (default true). */
  exit?: boolean;
  /** Called with the report before exiting, e.g. to log it. */
  onComplete?: (report: ShutdownReport, signal: NodeJS.Signals) => void;
}

/**
 * Runs `shutdown()` on SIGTERM / SIGINT, then exits (code 0, or 1 when a step failed
 * or timed out). Installing twice replaces the earlier handlers. Returns an uninstaller.
 *
 * @example
 * installSignalHandlers({ timeoutMs: 8000 });
 */
export function installSignalHandlers(options: SignalOptions = {}): () => void {
  state.uninstallSignals?.();
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const handler = (signal: NodeJS.Signals) => {
    void shutdown({ timeoutMs: options.timeoutMs }).then((report) => {
      options.onComplete?.(report, signal);
      if (options.exit !== false) {
        process.exit(report.failed.length || report.timedOut.length ? 1 : 0);
      }
    });
  };
  for (const s of signals) process.on(s, handler);
  const uninstall = () => {
    for (const s of signals) process.off(s, handler);
    if (state.uninstallSignals === uninstall) state.uninstallSignals = undefined;
  };
  state.uninstallSignals = uninstall;
  return uninstall;
}
