import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll } from 'vitest';
import { stringify } from 'yaml';
import type { FlagStateInput } from '../src/model.js';
import { fileStore } from '../src/stores/file.js';
import { memoryStore } from '../src/stores/memory.js';
import { postgresStore } from '../src/stores/postgres.js';
import { describeFlagStore } from '../src/testkit.js';
import { dropSchema, pool, testSchema } from './support.js';

describeFlagStore({ name: 'memory', create: (seed) => memoryStore({ flags: seed }) });

const dir = mkdtempSync(join(tmpdir(), 'flags-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writeFlags = (path: string, flags: FlagStateInput[]) => {
  const body = { flags: Object.fromEntries(flags.map(({ key, ...rest }) => [key, rest])) };
  // write-then-rename, as editors and deploy tools do
  writeFileSync(`${path}.tmp`, stringify(body));
  renameSync(`${path}.tmp`, path);
};
describeFlagStore({
  name: 'file (YAML)',
  create: (seed) => {
    const path = join(dir, 'flags.yaml');
    writeFlags(path, seed);
    return fileStore({ path, pollIntervalMs: 100 });
  },
  replace: async (_store, flags) => writeFlags(join(dir, 'flags.yaml'), flags),
  destroy: (s) => s.close?.(),
});

const schema = testSchema('conf');
const pgPool = pool();
afterAll(async () => {
  await pgPool.end();
  await dropSchema(schema);
});
describeFlagStore({
  name: 'PostgreSQL (pg Pool, LISTEN/NOTIFY)',
  create: async (seed) => {
    const store = postgresStore({ client: pgPool, schema });
    await store.migrate();
    for (const f of seed) await store.put!(f as never);
    return store;
  },
  destroy: (s) => s.close?.(),
});

let lite: PGlite;
afterAll(() => lite?.close());
describeFlagStore({
  name: 'PGlite',
  create: async (seed) => {
    lite = new PGlite();
    const store = postgresStore({ client: lite, schema: 'flags_lite' });
    await store.migrate();
    for (const f of seed) await store.put!(f as never);
    return store;
  },
  destroy: (s) => s.close?.(),
});
