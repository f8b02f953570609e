import { processSingleton } from '@platform/core';
import type { Logger } from 'pino';

export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type Level = (typeof LEVELS)[number];

const MODULE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface LevelChange {
  module: string;
  /** Effective level before and after. */
  from: Level;
  to: Level;
  /** `set` or `reset`. */
  action: 'set' | 'reset';
  at: string;
}

export interface ModuleLevel {
  module: string;
  level: Level;
  /** True when set at runtime (rather than inherited or the default). */
  overridden: boolean;
}

export class LogLevelError extends TypeError {
  override readonly name = 'LogLevelError';
  constructor(
    message: string,
    readonly code: 'invalid_module' | 'unknown_module' | 'invalid_level',
  ) {
    super(message);
  }
}

interface Entry {
  base: Level;
  loggers: Set<WeakRef<Logger>>;
}

/**
 * Runtime log levels per module. Modules are dotted names (`payments.stripe`); a
 * level set on `payments` applies at once to every logger and child logger of
 * `payments` and its sub-modules, unless a sub-module has its own override.
 *
 * @example
 * logLevels.set('db', 'debug');
 * logLevels.reset('db');
 */
export class LogLevels {
  readonly #modules = new Map<string, Entry>();
  readonly #overrides = new Map<string, Level>();
  readonly #listeners = new Set<(change: LevelChange) => void>();

  /** Called by `createLogger` for every logger and child logger it hands out. */
  register(module: string, logger: Logger, base: Level): void {
    let entry = this.#modules.get(module);
    if (!entry) {
      entry = { base, loggers: new Set() };
      this.#modules.set(module, entry);
    }
    if (entry.loggers.size > 256) prune(entry);
    entry.loggers.add(new WeakRef(logger));
    const level = this.effective(module);
    if (level !== undefined && logger.level !== level) logger.level = level;
  }

  /** The override that applies to `module` (its own or its nearest ancestor's). */
  effective(module: string): Level | undefined {
    let name = module;
    for (;;) {
      const own = this.#overrides.get(name);
      if (own) return own;
      const dot = name.lastIndexOf('.');
      if (dot === -1) return this.#modules.get(module)?.base;
      name = name.slice(0, dot);
    }
  }

  set(module: string, level: string): void {
    this.#check(module);
    if (!(LEVELS as readonly string[]).includes(level)) {
      throw new LogLevelError(
        `Invalid log level "${String(level).slice(0, 32)}": use one of ${LEVELS.join(', ')}`,
        'invalid_level',
      );
    }
    const before = this.#snapshot(module);
    this.#overrides.set(module, level as Level);
    this.#apply(module);
    this.#emit(module, before, 'set');
  }

  reset(module: string): void {
    this.#check(module);
    const before = this.#snapshot(module);
    this.#overrides.delete(module);
    this.#apply(module);
    this.#emit(module, before, 'reset');
  }

  list(): ModuleLevel[] {
    return [...this.#modules.keys()].sort().map((module) => ({
      module,
      level: this.effective(module) ?? 'info',
      overridden: this.#overrides.has(module),
    }));
  }

  get(module: string): ModuleLevel {
    this.#check(module);
    return {
      module,
      level: this.effective(module) ?? 'info',
      overridden: this.#overrides.has(module),
    };
  }

  /** Subscribes to changes (e.g. to audit them); returns an unsubscribe function. */
  onChange(listener: (change: LevelChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #check(module: string): void {
    if (typeof module !== 'string' || !MODULE_PATTERN.test(module)) {
      throw new LogLevelError(
        `Invalid module name "${String(module).slice(0, 64)}": letters, digits, ".", "_" and "-", at most 64 characters`,
        'invalid_module',
      );
    }
    if (!this.#modules.has(module)) {
      const known = [...this.#modules.keys()].sort().join(', ') || '(none)';
      throw new LogLevelError(`Unknown log module "${module}" (known: ${known})`, 'unknown_module');
    }
  }

  #snapshot(module: string): Level {
    return this.effective(module) ?? 'info';
  }

  #apply(module: string): void {
    for (const [name, entry] of this.#modules) {
      if (name !== module && !name.startsWith(`${module}.`)) continue;
      const level = this.effective(name) ?? entry.base;
      for (const ref of entry.loggers) {
        const logger = ref.deref();
        if (!logger) entry.loggers.delete(ref);
        else if (logger.level !== level) logger.level = level;
      }
    }
  }

  #emit(module: string, from: Level, action: 'set' | 'reset'): void {
    const change: LevelChange = {
      module,
      from,
      to: this.#snapshot(module),
      action,
      at: new Date().toISOString(),
    };
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch {
        // an audit hook must not undo or block the change
      }
    }
  }
}

function prune(entry: Entry): void {
  for (const ref of entry.loggers) if (!ref.deref()) entry.loggers.delete(ref);
}

/**
 * The process-wide registry `createLogger` uses unless given another: one per process,
 * shared by the ESM and CommonJS builds and by other installed copies (a level set
 * through one reaches the loggers of all).
 */
export const logLevels: LogLevels = processSingleton(
  '@platform/tracing.logLevels',
  1,
  () => new LogLevels(),
);
