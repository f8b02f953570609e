/**
 * Heap held by rate-limit memory stores for N distinct clients, ours and the peers' side by
 * side. Each store runs in its own child process (a fresh heap, `--expose-gc`), which
 * checks N distinct keys once and reports heap used after a full GC minus heap used before.
 *
 *   pnpm --filter @platform/bench footprint                # 1,000,000 keys
 *   pnpm --filter @platform/bench footprint --keys 100000
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const STORES = ['ours-fixed', 'ours-sliding', 'ours-gcra', 'rlf', 'erl'] as const;
type StoreName = (typeof STORES)[number];

const LABELS: Record<StoreName, string> = {
  'ours-fixed': '@platform/ratelimit memoryStore (fixed)',
  'ours-sliding': '@platform/ratelimit memoryStore (sliding)',
  'ours-gcra': '@platform/ratelimit memoryStore (gcra)',
  rlf: 'rate-limiter-flexible RateLimiterMemory',
  erl: 'express-rate-limit MemoryStore',
};

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

async function fill(name: StoreName, keys: number): Promise<number> {
  const HUGE = 1_000_000_000;
  let check: (key: string) => unknown;
  let keep: unknown;
  if (name.startsWith('ours')) {
    const { memoryStore, rateLimiter } = await import('@platform/ratelimit');
    const algorithm = name.slice('ours-'.length) as 'fixed' | 'sliding' | 'gcra';
    const limiter = rateLimiter({
      name: 'fp',
      policies: { name: 'p', limit: HUGE, window: '1m', algorithm },
      store: memoryStore({ maxKeys: keys + 1 }),
      log: false,
    });
    keep = limiter;
    check = (k) => limiter.check(k);
  } else if (name === 'rlf') {
    const { RateLimiterMemory } = await import('rate-limiter-flexible');
    const rlf = new RateLimiterMemory({ points: HUGE, duration: 60 });
    keep = rlf;
    check = (k) => rlf.consume(k);
  } else {
    const { MemoryStore } = await import('express-rate-limit');
    const store = new MemoryStore();
    type InitOptions = Parameters<InstanceType<typeof MemoryStore>['init']>[0];
    store.init({ windowMs: 60_000 } as InitOptions);
    keep = store;
    check = (k) => store.increment(k);
  }
  const before = heap();
  for (let i = 0; i < keys; i += 1000) {
    const batch: unknown[] = [];
    for (let j = i; j < Math.min(i + 1000, keys); j++) batch.push(check(`client-${j}`));
    await Promise.all(batch);
  }
  const used = heap() - before;
  if (!keep) throw new Error('unreachable');
  return used;
}

const { values } = parseArgs({
  options: { keys: { type: 'string', default: '1000000' }, child: { type: 'string' } },
});
const keys = Number(values.keys);
if (!Number.isInteger(keys) || keys < 1 || keys > 10_000_000) {
  throw new Error(`--keys must be an integer from 1 to 10,000,000, got ${values.keys}`);
}

if (values.child) {
  const used = await fill(values.child as StoreName, keys);
  process.stdout.write(String(used));
  // express-rate-limit's store keeps a timer: exit instead of waiting for it
  process.exit(0);
}

const self = fileURLToPath(import.meta.url);
const MiB = 1024 * 1024;
console.log(`# footprint: heap held by ${keys.toLocaleString('en-US')} distinct clients\n`);
console.log('| store | heap MiB | bytes per client | vs rate-limiter-flexible |');
console.log('| --- | ---: | ---: | ---: |');
const rows: [StoreName, number][] = [];
for (const name of STORES) {
  const out = execFileSync(
    process.execPath,
    [
      '--expose-gc',
      '--max-old-space-size=4096',
      '--conditions=development',
      '--import',
      'tsx',
      self,
      '--child',
      name,
      '--keys',
      String(keys),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  rows.push([name, Number(out)]);
}
const peer = rows.find(([n]) => n === 'rlf')?.[1] ?? 1;
for (const [name, used] of rows) {
  const ratio = name === 'rlf' ? 'baseline' : `${(used / peer).toFixed(2)}×`;
  console.log(
    `| ${LABELS[name]} | ${(used / MiB).toFixed(0)} | ${Math.round(used / keys)} | ${ratio} |`,
  );
}
console.log(`\nNode ${process.version}; smaller is better.`);
