import { close, openSync, writeSync } from 'node:fs';
import { onShutdown, processSingleton } from '@platform/core';
import type { DestinationStream } from 'pino';
import { countDropped } from './metrics.js';

export interface LogDestinationOptions {
  /** A file descriptor (default 1, stdout) or a file path, opened for appending. */
  dest?: number | string;
  /**
   * Lines held while the file is not keeping up, in UTF-16 code units (default 64 MiB).
   * Past it, new lines are dropped and counted in `dropped`; nothing is dropped silently.
   */
  maxBuffered?: number;
}

const RETRY_MS = 10;
const SYNC_RETRIES = 1000;
const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/**
 * A pino destination for throughput: the lines logged during one event-loop turn are
 * joined and written with one `write` system call right after that turn (not one per
 * line, and no thread-pool round trip), and nothing waits on a timer. The write is
 * synchronous, as Node's own stdout is for files and pipes on Linux; when a
 * non-blocking pipe is full (`EAGAIN`) the batch waits and is retried while new lines
 * keep collecting, and a partial write continues where it stopped. Whatever is still
 * buffered is written when the process exits, and `flush()` (called by core's shutdown)
 * answers once everything logged so far is written.
 *
 * @example
 * const log = createLogger({ destination: logDestination({ dest: '/var/log/app.ndjson' }) });
 */
export class LogDestination implements DestinationStream {
  readonly fd: number;
  /** Lines dropped because the buffer was full or the file refused them. */
  dropped = 0;
  /** The last write error other than EAGAIN, if any. */
  lastError: NodeJS.ErrnoException | undefined;
  readonly #ownsFd: boolean;
  readonly #max: number;
  #lines: string[] = [];
  #chars = 0;
  /** Lines accepted, and lines done with (written or counted dropped). */
  #accepted = 0;
  #done = 0;
  /** A batch a full pipe refused, waiting for a retry, and how far it got. */
  #batch: Buffer | undefined;
  #batchLines = 0;
  #offset = 0;
  #scheduled = false;
  #waiters: Array<{ upTo: number; cb: (err?: Error) => void }> = [];
  #closed = false;
  readonly #onExit = () => this.flushSync();

  constructor(options: LogDestinationOptions = {}) {
    const dest = options.dest ?? 1;
    if (typeof dest === 'number') {
      if (!Number.isInteger(dest) || dest < 0)
        throw new TypeError(
          `logDestination: dest must be a file descriptor or a path, got ${dest}`,
        );
      this.fd = dest;
      this.#ownsFd = false;
    } else {
      this.fd = openSync(dest, 'a');
      this.#ownsFd = true;
    }
    const max = options.maxBuffered ?? 64 * 1024 * 1024;
    if (!(max > 0))
      throw new TypeError(`logDestination: maxBuffered must be a positive number, got ${max}`);
    this.#max = max;
    process.on('exit', this.#onExit);
  }

  write(line: string): boolean {
    if (this.#closed || this.#chars + line.length > this.#max) {
      this.dropped++;
      countDropped(line);
      return false;
    }
    this.#lines.push(line);
    this.#chars += line.length;
    this.#accepted++;
    if (!this.#scheduled && this.#batch === undefined) {
      this.#scheduled = true;
      setImmediate(this.#next);
    }
    return true;
  }

  /** Calls `cb` once every line logged so far is written (or was counted dropped). */
  flush(cb?: (err?: Error) => void): void {
    if (cb) this.#waiters.push({ upTo: this.#accepted, cb });
    // a batch waiting for its retry carries on by itself and settles the waiters after it
    if (this.#batch === undefined) this.#next();
  }

  /** Writes everything buffered now, waiting out a full pipe (for process exit). */
  flushSync(): void {
    if (this.#batch !== undefined) this.#write(true);
    if (this.#batch === undefined && this.#lines.length > 0) {
      this.#start();
      this.#write(true);
    }
  }

  /** Flushes, stops accepting lines and closes a file it opened. */
  end(cb?: () => void): void {
    this.flush(() => {
      this.#closed = true;
      process.removeListener('exit', this.#onExit);
      if (this.#ownsFd) close(this.fd, () => cb?.());
      else cb?.();
    });
  }

  /** Writes the buffered lines, unless a refused batch is waiting for its retry. */
  readonly #next = (): void => {
    this.#scheduled = false;
    if (this.#batch !== undefined) return;
    if (this.#lines.length > 0) {
      this.#start();
      this.#write(false);
    } else this.#finished(0);
  };

  #start(): void {
    const lines = this.#lines;
    this.#batchLines = lines.length;
    this.#batch = Buffer.from(lines.length === 1 ? (lines[0] as string) : lines.join(''));
    this.#offset = 0;
    this.#lines = [];
    this.#chars = 0;
  }

  /** Writes the batch; on EAGAIN waits (`wait`: blocking, for exit) or retries later. */
  #write(wait: boolean): void {
    const buf = this.#batch as Buffer;
    let retries = 0;
    while (this.#offset < buf.length) {
      try {
        this.#offset += writeSync(this.fd, buf, this.#offset, buf.length - this.#offset);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EAGAIN') {
          if (!wait) {
            setTimeout(this.#retry, RETRY_MS).unref();
            return;
          }
          if (retries++ < SYNC_RETRIES) {
            Atomics.wait(SLEEP, 0, 0, 1);
            continue;
          }
        }
        this.lastError = e;
        this.dropped += this.#batchLines;
        countDropped(buf.subarray(this.#offset).toString());
        break;
      }
    }
    this.#batch = undefined;
    this.#finished(this.#batchLines);
  }

  readonly #retry = (): void => {
    if (this.#batch === undefined) return; // written on exit meanwhile
    this.#write(false);
    if (this.#batch === undefined) this.#next();
  };

  #finished(lines: number): void {
    this.#done += lines;
    if (this.#waiters.length === 0) return;
    const done = this.#done;
    const ready = this.#waiters.filter((w) => w.upTo <= done);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.upTo > done);
    for (const w of ready) w.cb();
  }
}

/** A `LogDestination` (see there). */
export function logDestination(options?: LogDestinationOptions): LogDestination {
  return new LogDestination(options);
}

// One stdout destination per process, whichever copy of this module asks first: two
// would interleave partial lines.
const stdout = processSingleton('@platform/tracing.stdout', 1, () => ({
  dest: undefined as LogDestination | undefined,
}));

/**
 * The process's one stdout destination, shared by every logger that names none, and
 * flushed by core's shutdown.
 */
export function stdoutDestination(): LogDestination {
  if (stdout.dest) return stdout.dest;
  const dest = new LogDestination({ dest: 1 });
  stdout.dest = dest;
  onShutdown(() => new Promise<void>((resolve) => dest.flush(() => resolve())), {
    name: 'logs:stdout',
    timeoutMs: 1000,
  });
  return dest;
}
