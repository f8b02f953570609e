import { close, openSync, write, writeSync } from 'node:fs';
import { onShutdown } from '@platform/core';
import type { DestinationStream } from 'pino';

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
 * A pino destination for throughput: lines written during one event-loop turn are
 * joined and written with one asynchronous `fs.write` after that turn (never more than
 * one write in flight), so a busy server pays one write per turn rather than one per
 * line, and nothing waits on a timer. Whatever is still buffered is written
 * synchronously when the process exits, and `flush()` (called by the logger's shutdown
 * hook) resolves once everything written so far is on the file.
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
  /** The batch being written, how far, and whether a write of it is in the thread pool. */
  #batch: Buffer | undefined;
  #batchLines = 0;
  #offset = 0;
  #inFlight = false;
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

  /** Calls `cb` once every line written so far has reached the file (or was counted dropped). */
  flush(cb?: (err?: Error) => void): void {
    if (this.#done === this.#accepted) {
      cb?.();
      return;
    }
    if (cb) this.#waiters.push({ upTo: this.#accepted, cb });
    if (this.#batch === undefined) this.#next();
  }

  /**
   * Writes what is buffered now, blocking (for process exit). A write already handed
   * to the thread pool is left to finish there rather than written twice.
   */
  flushSync(): void {
    if (this.#batch !== undefined && !this.#inFlight) {
      this.#writeSync(this.#batch.subarray(this.#offset), this.#batchLines);
      this.#batch = undefined;
    }
    if (this.#lines.length === 0) return;
    const lines = this.#lines.length;
    this.#writeSync(this.#take(), lines);
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

  #take(): Buffer {
    const text = this.#lines.length === 1 ? (this.#lines[0] as string) : this.#lines.join('');
    this.#lines = [];
    this.#chars = 0;
    return Buffer.from(text);
  }

  #writeSync(buf: Buffer, lines: number): void {
    let offset = 0;
    let retries = 0;
    while (offset < buf.length) {
      try {
        offset += writeSync(this.fd, buf, offset, buf.length - offset);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN' && retries++ < SYNC_RETRIES) {
          Atomics.wait(SLEEP, 0, 0, 1);
          continue;
        }
        this.lastError = err as NodeJS.ErrnoException;
        this.dropped += lines;
        break;
      }
    }
    this.#finished(lines);
  }

  /** Starts writing the next batch, if any and none is being written. */
  readonly #next = (): void => {
    this.#scheduled = false;
    if (this.#batch !== undefined || this.#lines.length === 0) return;
    this.#batchLines = this.#lines.length;
    this.#batch = this.#take();
    this.#offset = 0;
    this.#send();
  };

  #send(): void {
    const buf = this.#batch as Buffer;
    this.#inFlight = true;
    write(this.fd, buf, this.#offset, buf.length - this.#offset, null, this.#written);
  }

  readonly #written = (err: NodeJS.ErrnoException | null, written: number): void => {
    this.#inFlight = false;
    const buf = this.#batch;
    if (buf === undefined) return;
    if (err) {
      if (err.code === 'EAGAIN') {
        setTimeout(() => this.#batch === buf && this.#send(), RETRY_MS).unref();
        return;
      }
      this.lastError = err;
      this.dropped += this.#batchLines;
    } else {
      this.#offset += written;
      if (this.#offset < buf.length) {
        this.#send();
        return;
      }
    }
    this.#batch = undefined;
    this.#finished(this.#batchLines);
    this.#next();
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

let stdout: LogDestination | undefined;

/**
 * The process's one stdout destination, shared by every logger that names none, and
 * flushed by core's shutdown.
 */
export function stdoutDestination(): LogDestination {
  if (stdout) return stdout;
  const dest = new LogDestination({ dest: 1 });
  stdout = dest;
  onShutdown(() => new Promise<void>((resolve) => dest.flush(() => resolve())), {
    name: 'logs:stdout',
    timeoutMs: 1000,
  });
  return dest;
}
