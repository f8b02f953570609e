import { tracingChannel } from 'node:diagnostics_channel';
import { context as otelContext, trace } from '@opentelemetry/api';
import {
  getContext,
  metricsEnabled,
  parseOptions,
  processSingleton,
  setDefaultLogger,
} from '@platform/core';
import pino, { type DestinationStream, type Logger, type LoggerOptions as PinoOptions } from 'pino';
import { z } from 'zod';
import { stdoutDestination } from './destination.js';
import { LEVELS, type Level, type LogLevels, logLevels } from './log-levels.js';
import { countLine } from './metrics.js';
import { CENSOR, createRedactor, DEFAULT_REDACT_KEYS } from './redact.js';

export { DEFAULT_REDACT_KEYS };

const loggerSchema = z.object({
  /** The module of this logger (for runtime levels); children may name their own. */
  module: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a dotted module name')
    .default('app'),
  /** Default `LOG_LEVEL` or `info`. */
  level: z.enum(LEVELS).optional(),
  /** Extra pino redact paths (e.g. `card.number`), on top of the default keys redacted at any depth. */
  redact: z.array(z.string().min(1)).default([]),
  /** Human-readable output via pino-pretty. Default: `LOG_PRETTY=1`. */
  pretty: z.boolean().optional(),
  /** Where JSON lines go (default: stdout through the shared `logDestination`). */
  destination: z
    .custom<DestinationStream>(
      (v) =>
        typeof v === 'object' && v !== null && typeof (v as DestinationStream).write === 'function',
      'must be a writable stream',
    )
    .optional(),
  levels: z.custom<LogLevels>((v) => typeof v === 'object' && v !== null).optional(),
  /** Receives every serialized line (the development inspector's `capture`). */
  onLine: z
    .custom<(line: string) => void>((v) => typeof v === 'function', 'must be a function')
    .optional(),
  base: z.record(z.string(), z.unknown()).optional(),
});

export type LoggerOptions = z.input<typeof loggerSchema>;

const MODULE = Symbol('platform.logModule');
/** On a logger whose lines `lineWriter` can build exactly as pino would. */
const PLAIN = Symbol('platform.plainLines');
type Tracked = Logger & { [MODULE]?: string; [PLAIN]?: true };

const INVALID_TRACE = '00000000000000000000000000000000';

// Whether a logger became core's process-wide default yet (once per process, every copy).
const firstLogger = processSingleton('@platform/tracing.defaultLogger', 1, () => ({
  set: false,
}));

/** The first logger created becomes where every @platform package's diagnostics go. */
function becomeDefault(logger: Logger): void {
  if (firstLogger.set) return;
  firstLogger.set = true;
  setDefaultLogger(logger);
}

/**
 * requestId, trace_id, span_id and tenantId from the current request, on every line.
 * Lines that carry their own `requestId` (the request log) are left alone.
 */
function correlation(merge: object, level: number, logger: Tracked): Record<string, unknown> {
  if (metricsEnabled()) countLine(level, 'written');
  // `module` comes from here rather than from pino bindings, which would repeat the key
  // in a child that names its own module.
  const out: Record<string, unknown> = { module: logger[MODULE] };
  if ((merge as { requestId?: unknown }).requestId !== undefined) return out;
  const ctx = getContext();
  if (!ctx) return out;
  out.requestId = ctx.requestId;
  let traceId = ctx.traceId;
  let spanId = ctx.spanId;
  if (traceId) {
    const sc = trace.getSpan(otelContext.active())?.spanContext();
    if (sc && sc.traceId !== INVALID_TRACE) {
      traceId = sc.traceId;
      spanId = sc.spanId;
    }
    out.trace_id = traceId;
    if (spanId) out.span_id = spanId;
  }
  if (ctx.tenantId) out.tenantId = ctx.tenantId;
  return out;
}

/**
 * A pino logger writing JSON lines with requestId, trace_id, span_id and tenantId
 * from the request context, secrets redacted, and its level controlled at runtime
 * through `logLevels` (children with their own `module` binding included). The first
 * logger created in the process becomes @platform/core's default logger, so every
 * package's diagnostics (given no `logger` of their own) are written through it.
 *
 * @example
 * const log = createLogger({ module: 'orders' });
 * log.child({ module: 'orders.db' }).debug({ rows: 3 }, 'loaded');
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const opts = parseOptions(loggerSchema, options, 'createLogger');
  const level = (opts.level ?? envLevel(process.env.LOG_LEVEL) ?? 'info') as Level;
  const pretty = opts.pretty ?? process.env.LOG_PRETTY === '1';
  const onLine = opts.onLine;
  const pinoOptions: PinoOptions = {
    level,
    base: opts.base ?? {},
    messageKey: 'msg',
    timestamp: isoTime,
    formatters: { level: (label) => ({ level: label }), log: createRedactor(DEFAULT_REDACT_KEYS) },
    ...(opts.redact.length ? { redact: { paths: opts.redact, censor: CENSOR } } : {}),
    mixin: correlation as unknown as PinoOptions['mixin'],
    ...(onLine
      ? {
          hooks: {
            streamWrite(line: string) {
              try {
                onLine(line);
              } catch {
                // a capture hook must not lose the line
              }
              return line;
            },
          },
        }
      : {}),
  };
  let logger: Logger;
  if (pretty && !opts.destination) {
    logger = pino({
      ...pinoOptions,
      transport: { target: 'pino-pretty', options: { colorize: true } },
    });
  } else {
    logger = pino(pinoOptions, opts.destination ?? stdoutDestination());
  }
  const registry = opts.levels ?? logLevels;
  (logger as Tracked)[MODULE] = opts.module;
  if (!opts.redact.length) (logger as Tracked)[PLAIN] = true;
  registry.register(opts.module, logger, level);
  const originalChild = Object.getPrototypeOf(logger).child as Logger['child'];
  // Children are created with Object.create(parent), so they inherit this wrapper.
  function child(this: Tracked, bindings: Record<string, unknown>, childOptions?: object): Logger {
    const own = typeof bindings?.module === 'string' ? bindings.module : undefined;
    let rest = bindings;
    if (own !== undefined) {
      const { module: _module, ...others } = bindings;
      rest = others;
    }
    const c = originalChild.call(this, rest, childOptions) as unknown as Tracked;
    const mod = own ?? this[MODULE];
    if (mod) {
      c[MODULE] = mod;
      registry.register(mod, c, level);
    }
    return c;
  }
  logger.child = child as unknown as Logger['child'];
  becomeDefault(logger);
  return logger;
}

const {
  chindingsSym,
  endSym,
  hooksSym,
  levelValSym,
  lsCacheSym,
  needsMetadataGsym,
  streamSym,
  timeSym,
} = pino.symbols;
// Not in pino's typings, present since pino 8.
const msgPrefixSym = (pino.symbols as unknown as Record<string, symbol>).msgPrefixSym as symbol;
type PinoInternals = Record<symbol, unknown>;
const asJsonChannel = tracingChannel('pino_asJson');
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Writes one prepared line at `level` (30 info, 40 warn); false when pino must write it. */
export type LineWriter = (level: number, fields: string) => boolean;

/**
 * For the request log, whose fields are known: a line `{"level","time",<bindings>,
 * "module",<fields>,"msg"}` built as one string, byte for byte what pino writes for
 * a logger made by `createLogger` (JSON, no extra redact paths), without pino's walk
 * over a fields object. `fields` is `,"key":value...` (see `jsonString`). Undefined for
 * any other logger (children included) or a message pino would format.
 */
export function lineWriter(logger: Logger, message: string): LineWriter | undefined {
  const own = logger as Tracked & PinoInternals;
  if (!Object.hasOwn(own, PLAIN) || own[PLAIN] !== true || message.includes('%')) return undefined;
  const module = own[MODULE];
  const moduleField = module === undefined ? '' : `,"module":${jsonString(module)}`;
  const messageField = `,"msg":${jsonString(message)}`;
  return (level, fields) => {
    if ((own[levelValSym] as number) > level) return true; // pino would write nothing
    const stream = own[streamSym] as DestinationStream & { [needsMetadataGsym]?: boolean };
    if (
      stream[needsMetadataGsym] === true ||
      typeof own[msgPrefixSym] === 'string' ||
      asJsonChannel.hasSubscribers
    )
      return false;
    const time = (own[timeSym] as () => string)();
    const cache = own[lsCacheSym] as Record<number, string>;
    const line = `${cache[level]}${time}${own[chindingsSym] as string}${moduleField}${fields}${messageField}${own[endSym] as string}`;
    const hook = (own[hooksSym] as { streamWrite?: (s: string) => string }).streamWrite;
    stream.write(hook ? hook(line) : line);
    if (metricsEnabled()) countLine(level, 'written');
    return true;
  };
}

/** A number as pino writes it. */
export function jsonNumber(n: number): string {
  return Number.isFinite(n) ? `${n}` : 'null';
}

/** pino's string quoting (its `asString`): JSON.stringify only when needed. */
export function jsonString(str: string): string {
  if (NODE_MAJOR >= 25 || str.length > 100) return JSON.stringify(str);
  let result = '';
  let last = 0;
  let found = false;
  let point = 255;
  for (let i = 0; i < str.length && point >= 32; i++) {
    point = str.charCodeAt(i);
    if (point === 34 || point === 92) {
      result += `${str.slice(last, i)}\\`;
      last = i;
      found = true;
    }
  }
  if (!found) result = str;
  else result += str.slice(last);
  return point < 32 ? JSON.stringify(str) : `"${result}"`;
}

let isoSecond = Number.NaN;
let isoPrefix = '';

/**
 * pino's `stdTimeFunctions.isoTime`, byte for byte, without a Date and toISOString()
 * per line: the part up to the seconds is built once per second.
 */
export function isoTime(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = `,"time":"${new Date(second * 1000).toISOString().slice(0, -4)}`;
  }
  const ms = now - second * 1000;
  return `${isoPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z"`;
}

function envLevel(value: string | undefined): Level | undefined {
  if (!value) return undefined;
  if ((LEVELS as readonly string[]).includes(value)) return value as Level;
  throw new TypeError(
    `LOG_LEVEL must be one of ${LEVELS.join(', ')} (got "${value.slice(0, 32)}")`,
  );
}
