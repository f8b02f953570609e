import {
  appendFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  renameSync,
  rmSync,
  type WriteStream,
  writeFileSync,
} from 'node:fs';
import { createInterface } from 'node:readline';

export interface BatchWriterOptions<T, S = T> {
  /** Writes one batch; resolves with what was stored. A PostgreSQL data error (22xxx/23xxx) isolates the batch. */
  write(batch: T[]): Promise<S[]>;
  /** Names the writer in its error messages (`<label> queue full`). Default `batch`. */
  label?: string;
  maxQueue: number;
  batchSize: number;
  flushIntervalMs: number;
  retryInitialMs: number;
  retryMaxMs: number;
  /** NDJSON file that takes what the full queue cannot hold; `undefined` drops (counted). */
  spillPath?: string;
  /** The JSON form of an item in the spill file (default: the item itself). */
  toJSON?(item: T): unknown;
  /** An item back from its JSON form when the spill file is replayed. */
  fromJSON?(value: unknown): T;
  onStored?(stored: S[]): void;
  onError(error: unknown, where: string): void;
  /** Told of every batch written, event spilled and event lost, for a package's metrics. */
  observer?: BatchWriterObserver;
}

/** Why events were lost: a full queue or a close without a spill file, a failed spill, a corrupt spill line, bad data. */
export type DropReason = 'queue_full' | 'closed' | 'spill_failed' | 'corrupt_spill' | 'rejected';

/** What a batch writer reports as it goes (each method optional; errors it throws are ignored). */
export interface BatchWriterObserver {
  written?(events: number): void;
  spilled?(events: number): void;
  dropped?(events: number, reason: DropReason): void;
}

/** Counters since start. `dropped` is the only loss, and only without a working spill file. */
export interface BatchWriterStats {
  recorded: number;
  stored: number;
  queued: number;
  spilled: number;
  replayed: number;
  dropped: number;
  invalid: number;
  /** Events the store refused as bad data (SQLSTATE class 22/23), set aside instead of blocking the queue. */
  rejected: number;
  retries: number;
  storeFailures: number;
  /** The store's last error, cleared by the next successful write. */
  lastError?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/**
 * How long to wait before retry `attempt` (0-based): doubling from `initialMs`, capped at
 * `maxMs`, less up to a quarter at random so writers that failed together do not retry
 * together. At the defaults (100 ms, 5 s) a store down for 30 s sees at most 14 attempts.
 */
export function retryDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30)) * (0.75 + random() / 4);
}

/**
 * A bounded queue drained in batches by one loop, retrying with capped exponential backoff
 * while the store is down, spilling to an NDJSON file when the queue is full and replaying
 * that file once the store answers. A batch the store refuses as bad data is split so one
 * bad item never blocks the rest. The audit trail and the cost ledger write through it.
 *
 * @example
 * const writer = new BatchWriter({ write: (rows) => store.insert(rows), maxQueue: 10_000,
 *   batchSize: 100, flushIntervalMs: 200, retryInitialMs: 100, retryMaxMs: 5_000,
 *   spillPath: './rows.spill.ndjson', onError: (e, where) => console.warn(where, e) });
 * writer.push(row);
 */
export class BatchWriter<T, S = T> {
  readonly stats: BatchWriterStats = {
    recorded: 0,
    stored: 0,
    queued: 0,
    spilled: 0,
    replayed: 0,
    dropped: 0,
    invalid: 0,
    rejected: 0,
    retries: 0,
    storeFailures: 0,
  };
  #queue: T[] = [];
  #running: Promise<void> | undefined;
  #spill: WriteStream | undefined;
  #spillPending = 0;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Immediate | undefined;
  #closed = false;
  #waiters: (() => void)[] = [];

  constructor(private readonly o: BatchWriterOptions<T, S>) {}

  /** True while anything waits to be written: queued, spilled, or a write being retried. */
  get busy(): boolean {
    return this.#running !== undefined || this.#queue.length > 0 || this.#spillPending > 0;
  }

  push(event: T): void {
    this.stats.recorded++;
    // after close() nothing drains the queue: straight to the spill file (or counted as dropped)
    if (this.#closed) {
      this.#spillSync([event]);
      return;
    }
    if (this.#queue.length >= this.o.maxQueue) this.#toSpill([event]);
    else this.#queue.push(event);
    this.stats.queued = this.#queue.length;
    if (this.#queue.length >= this.o.batchSize) this.#kickSoon();
    else this.#timer ??= setTimeout(() => this.#kick(), this.o.flushIntervalMs).unref();
  }

  /** Resolves once everything queued or spilled before the call is stored (or the writer is closed). */
  async flush(): Promise<void> {
    this.#kick();
    while (this.#running) await this.#running;
  }

  /** Drains within `timeoutMs`; whatever is still queued then is spilled synchronously. */
  async close(timeoutMs: number): Promise<void> {
    const drained = this.flush();
    await Promise.race([drained, sleep(timeoutMs)]);
    this.#closed = true;
    this.#wake();
    if (this.#queue.length > 0) {
      const rest = this.#queue.splice(0);
      this.stats.queued = 0;
      this.#spillSync(rest);
    }
    await new Promise<void>((r) => (this.#spill ? this.#spill.end(r) : r()));
    this.#spill = undefined;
  }

  /** Starts the writer on the next turn of the event loop: never inside the caller's `record()`. */
  #kickSoon(): void {
    this.#soon ??= setImmediate(() => {
      this.#soon = undefined;
      this.#kick();
    });
  }

  /** Starts the loop if it is not running. A loop sleeping before a retry sleeps on: only close() wakes it. */
  #kick(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#running || this.#closed) return;
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
      if (this.#queue.length > 0 && !this.#closed) this.#kick();
    });
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  async #loop(): Promise<void> {
    let attempt = 0;
    for (;;) {
      const spilled =
        this.#spillPending > 0 || (this.o.spillPath !== undefined && existsSync(this.o.spillPath));
      if (this.#queue.length === 0 && !spilled) return;
      if (this.#closed) return;
      try {
        if (this.#queue.length > 0) {
          const batch = this.#queue.slice(0, this.o.batchSize);
          await this.#writeOrIsolate(batch);
          this.#queue.splice(0, batch.length);
          this.stats.queued = this.#queue.length;
        } else await this.#replay();
        attempt = 0;
        this.stats.lastError = undefined;
      } catch (error) {
        this.stats.storeFailures++;
        this.stats.retries++;
        this.stats.lastError = error instanceof Error ? error.message : String(error);
        this.o.onError(error, 'store');
        // new events queue (and spill) meanwhile; they do not cut the wait short
        const ms = retryDelay(attempt++, this.o.retryInitialMs, this.o.retryMaxMs);
        await new Promise<void>((r) => {
          const t = setTimeout(r, ms);
          t.unref();
          this.#waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    }
  }

  async #write(batch: T[]): Promise<void> {
    const stored = await this.o.write(batch);
    this.stats.stored += stored.length;
    this.#observe('written', batch.length);
    if (stored.length > 0) {
      try {
        this.o.onStored?.(stored);
      } catch (error) {
        this.o.onError(error, 'onStored');
      }
    }
  }

  /**
   * A batch the store refuses as bad data would be retried forever and block every event
   * behind it: write its events one by one and set aside the ones refused (to
   * `<spill>.rejected.ndjson` when spilling, counted either way). Outages still throw.
   */
  async #writeOrIsolate(batch: T[]): Promise<void> {
    try {
      await this.#write(batch);
    } catch (error) {
      if (!isDataError(error)) throw error;
      for (const event of batch) {
        try {
          await this.#write([event]);
        } catch (single) {
          if (!isDataError(single)) throw single;
          this.stats.rejected++;
          this.#observe('dropped', 1, 'rejected');
          this.o.onError(single, 'rejected');
          if (this.o.spillPath) {
            try {
              appendFileSync(`${this.o.spillPath}.rejected.ndjson`, this.#line(event));
            } catch (e) {
              this.o.onError(e, 'spill');
            }
          }
        }
      }
    }
  }

  /** Moves the spill file aside, appends it in batches, deletes it; a failure keeps it for the next try. */
  async #replay(): Promise<void> {
    const path = this.o.spillPath as string;
    if (this.#spill) {
      const s = this.#spill;
      this.#spill = undefined;
      await new Promise<void>((r) => s.end(r));
    }
    this.#spillPending = 0;
    const replaying = `${path}.replaying`;
    if (!existsSync(replaying)) {
      if (!existsSync(path)) return;
      renameSync(path, replaying);
    }
    const lines = createInterface({
      input: createReadStream(replaying),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    let batch: T[] = [];
    for await (const line of lines) {
      if (!line) continue;
      try {
        batch.push(this.#parse(line));
      } catch {
        this.stats.dropped++;
        this.#observe('dropped', 1, 'corrupt_spill');
        continue;
      }
      if (batch.length >= this.o.batchSize) {
        await this.#writeOrIsolate(batch);
        this.stats.replayed += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) {
      await this.#writeOrIsolate(batch);
      this.stats.replayed += batch.length;
    }
    rmSync(replaying, { force: true });
  }

  #toSpill(events: T[]): void {
    const path = this.o.spillPath;
    if (!path) {
      this.stats.dropped += events.length;
      this.#observe('dropped', events.length, 'queue_full');
      this.o.onError(
        new Error(`${this.o.label ?? 'batch'} queue full: ${events.length} event(s) dropped`),
        'drop',
      );
      return;
    }
    if (!this.#spill) {
      this.#spill = createWriteStream(path, { flags: 'a' });
      this.#spill.on('error', (error) => {
        this.o.onError(error, 'spill');
        this.#spill = undefined;
      });
    }
    this.#spill.write(events.map((e) => this.#line(e)).join(''));
    this.#spillPending += events.length;
    this.stats.spilled += events.length;
    this.#observe('spilled', events.length);
  }

  #observe<K extends keyof BatchWriterObserver>(
    what: K,
    ...args: Parameters<NonNullable<BatchWriterObserver[K]>>
  ): void {
    const fn = this.o.observer?.[what] as ((...a: typeof args) => void) | undefined;
    if (!fn) return;
    try {
      fn.apply(this.o.observer, args);
    } catch {
      // metrics must never stop the writer
    }
  }

  #line(item: T): string {
    return `${JSON.stringify(this.o.toJSON ? this.o.toJSON(item) : item)}\n`;
  }

  #parse(line: string): T {
    const value: unknown = JSON.parse(line);
    return this.o.fromJSON ? this.o.fromJSON(value) : (value as T);
  }

  #spillSync(events: T[]): void {
    if (!this.o.spillPath) {
      this.stats.dropped += events.length;
      this.#observe('dropped', events.length, 'closed');
      this.o.onError(
        new Error(`${this.o.label ?? 'batch'} closed with ${events.length} event(s) unstored`),
        'drop',
      );
      return;
    }
    try {
      const text = events.map((e) => this.#line(e)).join('');
      if (existsSync(this.o.spillPath)) appendFileSync(this.o.spillPath, text);
      else writeFileSync(this.o.spillPath, text);
      this.stats.spilled += events.length;
      this.#observe('spilled', events.length);
    } catch (error) {
      this.stats.dropped += events.length;
      this.#observe('dropped', events.length, 'spill_failed');
      this.o.onError(error, 'spill');
    }
  }
}

/** PostgreSQL data exception (22xxx) or integrity violation (23xxx): retrying cannot help. */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
