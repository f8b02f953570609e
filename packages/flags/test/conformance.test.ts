import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { stringify } from 'yaml';
import type { FlagStateInput } from '../src/model.js';
import { fileStore } from '../src/stores/file.js';
import { memoryStore } from '../src/stores/memory.js';
import { postgresStore } from '../src/stores/postgres.js';
import { testFlagStore } from '../src/testkit.js';
import { dropSchema, pool, testSchema } from './support.js';

testFlagStore({ name: 'memory', create: (seed) => memoryStore({ flags: seed }) });

const dir = mkdtempSync(join(tmpdir(), 'flags-file-'));
const writeFlags = (path: string, flags: FlagStateInput[]) => {
  const body = { flags: Object.fromEntries(flags.map(({ key, ...rest }) => [key, rest])) };
  // write-then-rename, as editors and deploy tools do
  writeFileSync(`${path}.tmp`, stringify(body));
  renameSync(`${path}.tmp`, path);
};
testFlagStore({
  name: 'file (YAML)',
  create: (seed) => {
    const path = join(dir, 'flags.yaml');
    writeFlags(path, seed);
    return fileStore({ path, pollIntervalMs: 100 });
  },
  replace: async (_store, flags) => writeFlags(join(dir, 'flags.yaml'), flags),
  destroy: async (s) => {
    await s.close?.();
    rmSync(dir, { recursive: true, force: true });
  },
});

/** Migrates, then seeds through the store's own writes. */
async function seeded(store: ReturnType<typeof postgresStore>, seed: FlagStateInput[]) {
  await store.migrate();
  for (const f of seed) await store.put!(f as never);
  return store;
}

const schema = testSchema('conf');
const pgPool = pool();
testFlagStore({
  name: 'PostgreSQL (pg Pool, LISTEN/NOTIFY)',
  create: (seed) => seeded(postgresStore({ client: pgPool, schema }), seed),
  destroy: async (s) => {
    await s.close?.();
    await pgPool.end();
    await dropSchema(schema);
  },
});

let lite: PGlite;
testFlagStore({
  name: 'PGlite',
  create: (seed) => {
    lite = new PGlite();
    return seeded(postgresStore({ client: lite, schema: 'flags_lite' }), seed);
  },
  destroy: async (s) => {
    await s.close?.();
    await lite.close();
  },
});
