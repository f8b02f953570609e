import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Algorithm } from '../src/store.js';
import { deleteKeys, ioredis, runPrefix } from './redis-support.js';

interface Report {
  admitted: number;
  errors: number;
  firstAdmit: number | null;
  last: number;
}

const FIXTURE = fileURLToPath(new URL('./fixtures/contend.ts', import.meta.url));
const prefix = runPrefix('contend');

class Child {
  readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly queue: string[] = [];
  private waiting: ((line: string) => void) | undefined;

  constructor(kind: 'io' | 'node') {
    this.proc = spawn(
      process.execPath,
      ['--conditions=development', '--import', 'tsx', FIXTURE, kind, prefix],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), env: process.env },
    );
    this.proc.stderr.on('data', (d) => process.stderr.write(d));
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on('line', (line) => {
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = undefined;
        w(line);
      } else this.queue.push(line);
    });
  }

  next(): Promise<string> {
    const line = this.queue.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  send(line: string) {
    this.proc.stdin.write(`${line}\n`);
  }
}

// 4 processes (two on ioredis, two on node-redis) × 2000 attempts, 50 in flight each,
// against one key with 1000 per 60 s.
describe('exactness under contention across processes (real Redis)', () => {
  let children: Child[] = [];
  let admin: Redis;

  beforeAll(async () => {
    admin = ioredis();
    children = (['io', 'io', 'node', 'node'] as const).map((kind) => new Child(kind));
    expect(await Promise.all(children.map((c) => c.next()))).toEqual([
      'ready',
      'ready',
      'ready',
      'ready',
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const c of children) c.proc.stdin.end();
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  const attack = async (algorithm: Algorithm) => {
    for (const c of children) c.send(`${algorithm} contention:${algorithm}`);
    const reports = (await Promise.all(children.map((c) => c.next()))).map(
      (line) => JSON.parse(line) as Report,
    );
    expect(reports.map((r) => r.errors)).toEqual([0, 0, 0, 0]);
    return reports;
  };

  it.each(['fixed', 'sliding'] as const)(
    '%s: exactly 1000 of 8000 admitted',
    async (algorithm) => {
      const reports = await attack(algorithm);
      expect(reports.reduce((sum, r) => sum + r.admitted, 0)).toBe(1000);
    },
    60_000,
  );

  // GCRA refills one unit every 60 ms while the run lasts; measured on the Redis clock, the
  // exact allowance is the burst plus the units that accrued between the first admission
  // and the last decision. Over-admission by a single unit fails.
  it('gcra: exactly the burst of 1000 plus what accrued on the Redis clock', async () => {
    const reports = await attack('gcra');
    const admitted = reports.reduce((sum, r) => sum + r.admitted, 0);
    const first = Math.min(...reports.map((r) => r.firstAdmit ?? Number.POSITIVE_INFINITY));
    const last = Math.max(...reports.map((r) => r.last));
    expect(admitted).toBe(1000 + Math.floor((last - first) / 60));
  }, 60_000);
});
