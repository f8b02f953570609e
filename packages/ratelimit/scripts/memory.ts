// Heap used by N distinct clients in the memory store (not a test).
//   node --expose-gc --conditions=development --import tsx scripts/memory.ts [N] [algorithm]
import { memoryStore, rateLimiter } from '../src/index.js';

const n = Number(process.argv[2] ?? 1_000_000);
const algorithm = (process.argv[3] ?? 'sliding') as 'fixed' | 'sliding' | 'gcra';
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const store = memoryStore({ maxKeys: n });
const limiter = rateLimiter({
  policies: { name: 'api', limit: 100, window: '1m', algorithm },
  store,
  log: false,
});
const before = heap();
for (let i = 0; i < n; i++) {
  // an IPv4-sized client id per key, built fresh like a request would
  await limiter.check(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
}
const after = heap();
const mb = (after - before) / 1024 / 1024;
console.log(
  `${algorithm}: ${store.stats().keys.toLocaleString()} keys, ${mb.toFixed(1)} MiB heap, ${Math.round((after - before) / n)} bytes/key`,
);
